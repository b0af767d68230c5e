// `railcheck p2p`: every pair of hosts (per rail) in concurrent rounds, perftest-like, records streamed
// through the run's sinks like the collectives'.
#pragma once

#include <string>

#include "railcheck/commands/command.h"
#include "railcheck/plan/p2p_options.h"

namespace railcheck {

class P2pCommand final : public Command {
 public:
  explicit P2pCommand(CLI::App& sub);
  void finish() override;
  bool needs_mpi() const override { return true; }
  /// Collective over the world. 0 all links measured, 1 a link failed, 0 with a skip note when the transport
  /// has no device. Throws InputError for bad options (same on every rank).
  int run(const CommandEnv& env) override;
  const P2pOptions& options() const { return options_; }

 private:
  P2pOptions options_;
  std::string output_dir_;
  double timeout_s_ = 600.0;  ///< -T; 0: 30 s
  std::string size_ = "1M", lat_size_ = "8", sock_buf_ = "0", ifnames_, transfer_;
  bool report_gbits_ = false, report_mib_ = false;
  int cq_mod_ = 0;
  CLI::Option* cq_mod_option_ = nullptr;  // given or not: unset keeps cq_mod_of's default
};

CommandSpec p2p_command_spec();

}  // namespace railcheck
