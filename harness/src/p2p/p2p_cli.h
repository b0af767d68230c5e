// The `railcheck p2p` subcommand's flags (CLI11 stays private to the harness).
#pragma once

#include <CLI/CLI.hpp>

#include "railcheck/cli.h"

namespace railcheck {

/// Raw flag text of `railcheck p2p`, turned into P2pOptions after parsing.
class P2pCli {
 public:
  /// Adds the subcommand to `app`; --output-dir and -T write into `common`.
  CLI::App* add(CLI::App& app, CommonOptions& common);
  /// Validates and converts. Throws InputError naming the flag.
  P2pOptions finish() const;

 private:
  P2pOptions options_;
  std::string size_ = "1M", lat_size_ = "8", sock_buf_ = "0", ifnames_;
};

}  // namespace railcheck
