// The flags of `railcheck fabric-sim`.
#include <CLI/CLI.hpp>

#include "railcheck/commands/fabric_sim/fabric_sim_command.h"

namespace railcheck {

CommandSpec fabric_sim_command_spec() {
  return {"fabric-sim",
          {},
          "fabric-scale localization on a simulated three-tier fat tree: the tier-aware plan's link loads and "
          "what it can tell apart, then random slow directed links named by boolean tomography: recall, "
          "precision, stages (no MPI; docs/fabric.md)",
          [](CLI::App& sub) {
            auto command = std::make_unique<OptionsCommand<FabricSimOptions>>(&run_fabric_sim_command);
            FabricSimOptions& o = command->options();
            sub.add_option("--pods", o.shape.pods, "pods")->capture_default_str();
            sub.add_option("--leaves-per-pod", o.shape.leaves_per_pod, "leaves in a pod")->capture_default_str();
            sub.add_option("--hosts-per-leaf", o.shape.hosts_per_leaf, "NICs on a leaf")->capture_default_str();
            sub.add_option("--spines-per-pod", o.shape.spines_per_pod, "spines in a pod (each leaf cabled to each)")
                ->capture_default_str();
            sub.add_option("--cores-per-group", o.shape.cores_per_group,
                           "cores each spine is cabled to (spine a of every pod to core group a)")
                ->capture_default_str();
            sub.add_option("--rails", o.shape.rails, "rails (leaf l of a pod serves rail l mod rails)")
                ->capture_default_str();
            sub.add_option("--faults", o.faults, "slow directed links per trial, one row each")
                ->delimiter(',')
                ->capture_default_str();
            sub.add_option("--noise", o.noise, "chance that a flow's outcome is measured wrong")->capture_default_str();
            sub.add_option_function<std::string>(
                "--noise-model",
                [&o](const std::string& model) {
                  if (model != "either-way" && model != "false-slow") {
                    throw CLI::ValidationError("--noise-model", "choose either-way or false-slow");
                  }
                  o.false_slow_only = model == "false-slow";
                },
                "either-way (default: a healthy flow measured slow or a slow one healthy) or false-slow (only "
                "healthy flows measured slow: a capped link cannot run a flow at full speed)");
            sub.add_option("--repeats", o.repeats, "times the plan is run")->capture_default_str();
            sub.add_option("--stages", o.stages,
                           "widen the 4-stage plan to this many stages with more cross-pod shifts (for noise)")
                ->capture_default_str();
            sub.add_option("--trials", o.trials, "seeded trials per row")->capture_default_str();
            sub.add_option("--seed", o.seed, "seed of the first trial")->capture_default_str();
            sub.add_option("--margin", o.min_margin,
                           "the solver names a class whose slow flows outnumber its healthy ones by this much")
                ->capture_default_str();
            sub.add_option("--switch-faults", o.switch_faults,
                           "slow switches per trial (every flow through them slow), beside each row's slow links; "
                           "named as switches by the device rule")
                ->capture_default_str();
            sub.add_option("--confirm", o.confirm,
                           "adaptive confirmation stages after the plan: new flows for the links the evidence leaves "
                           "in doubt")
                ->capture_default_str();
            sub.add_option("--routing", o.routing,
                           "known (the fabric's D-mod-k routes), ecmp-traced (each flow hashed onto one of its "
                           "shortest paths, the path told to the solver) or ecmp (untraced: the solver knows each "
                           "hop's candidates)")
                ->check(CLI::IsMember({"known", "ecmp-traced", "ecmp"}))
                ->capture_default_str();
            sub.add_option("--slow-below", o.slow_below,
                           "ECMP: a flow is slow below this share of line rate (untraced) or of its fair share "
                           "(traced); a slow link runs at --fault-speed")
                ->check(CLI::Range(0.01, 1.0))
                ->capture_default_str();
            sub.add_option("--fault-speed", o.fault_speed, "ECMP: a slow link's share of its speed")
                ->check(CLI::Range(0.0, 1.0))
                ->capture_default_str();
            sub.add_option("--gray-faults", o.gray_faults,
                           "partly slow links per trial (every flow over them at --gray-speed), found by the gray "
                           "fit; known routes only")
                ->check(CLI::NonNegativeNumber)
                ->capture_default_str();
            sub.add_option("--gray-speed", o.gray_speed, "a gray link's share of its speed")
                ->check(CLI::Range(0.01, 1.0))
                ->capture_default_str();
            sub.add_option("--jitter", o.jitter, "each flow's rate scattered by up to this share either way")
                ->check(CLI::Range(0.0, 0.5))
                ->capture_default_str();
            sub.add_option("--thin", o.thin,
                           "ECMP: run each stage as this many, every thin-th source in each (fewer collisions)")
                ->check(CLI::Range(1, 64))
                ->capture_default_str();
            return command;
          }};
}

}  // namespace railcheck
