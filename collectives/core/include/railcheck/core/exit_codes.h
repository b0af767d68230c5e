// railcheck's process exit codes, the one definition every command and the analysis use (README "Exit codes").
#pragma once

namespace railcheck {

/// Everything measured and judged healthy.
inline constexpr int kExitHealthy = 0;
/// A correctness failure, or a part judged degraded (a FAIL verdict).
inline constexpr int kExitDegraded = 1;
/// A harness or input error (bad flags, suite, baseline or results file; a failed call), nothing judged.
inline constexpr int kExitHarnessError = 2;
/// The watchdog ended the job: a step ran past its timeout, or a rank went silent.
inline constexpr int kWatchdogExitCode = 3;

}  // namespace railcheck
