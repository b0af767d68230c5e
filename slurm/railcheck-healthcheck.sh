#!/bin/bash
# railcheck-healthcheck.sh [healthcheck|prolog|epilog] - Slurm runs this as root on each node: it checks the
# node against its hardware profile with `railcheck health-check` (seconds, no MPI, no measurement).
#
#   slurm.conf:  HealthCheckProgram=/usr/local/sbin/railcheck-healthcheck.sh   (no arguments: mode healthcheck)
#                HealthCheckInterval=300
#   or a Prolog / Epilog that calls it with "prolog" / "epilog".
#
# healthcheck (default): a node that does not match is drained by railcheck itself with the reason
#   "railcheck: health-check <what differs>" (slurmd ignores a HealthCheckProgram's exit status: the program
#   acts), and a node an earlier health check drained is resumed once it matches again; a node drained by
#   anyone else, or by a railcheck run, is left as it is. Exits 0.
# prolog / epilog: the same drain, then exit 1 on a mismatch, so Slurm also holds the job (Prolog) as its
#   own rules say.
# Slurm kills a HealthCheckProgram after 60 s: the check gets 45 s (RAILCHECK_HEALTH_TIMEOUT), and each Slurm
# call railcheck makes 15 s.
#
# Settings come from /etc/default/railcheck (or the file $RAILCHECK_DEFAULTS names), as shell assignments:
#   RAILCHECK_BIN          the railcheck executable                       (railcheck on PATH)
#   RAILCHECK_PROFILE      the node class's hardware profile               (required)
#   RAILCHECK_PROFILE_DIR  a directory of per-node profiles: <node>.json there wins over RAILCHECK_PROFILE
#   RAILCHECK_HEALTH_LOG   where each check's output goes                  (/var/log/railcheck-health.log)
#   SLURM_CONF             where slurm.conf is, when not in Slurm's default place
set -uo pipefail
mode=${1:-healthcheck}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}
defaults=${RAILCHECK_DEFAULTS:-/etc/default/railcheck}
# Every assignment there is exported (slurmd gives a HealthCheckProgram almost no environment: a cluster whose
# slurm.conf is not in the default place sets SLURM_CONF there too).
set -a
# shellcheck source=/dev/null
[ -r "$defaults" ] && . "$defaults"
set +a
bin=${RAILCHECK_BIN:-railcheck}
log=${RAILCHECK_HEALTH_LOG:-/var/log/railcheck-health.log}
node=${SLURMD_NODENAME:-$(hostname -s)}
profile=${RAILCHECK_PROFILE:-}
if [ -n "${RAILCHECK_PROFILE_DIR:-}" ] && [ -f "$RAILCHECK_PROFILE_DIR/$node.json" ]; then
  profile=$RAILCHECK_PROFILE_DIR/$node.json
fi
if [ -z "$profile" ]; then
  echo "$(date -u +%FT%TZ) $node: RAILCHECK_PROFILE is not set in $defaults; nothing checked" >> "$log"
  exit 0
fi
{
  echo "$(date -u +%FT%TZ) $node ($mode): railcheck health-check --profile $profile --act drain"
  timeout "${RAILCHECK_HEALTH_TIMEOUT:-45}" "$bin" health-check --profile "$profile" --act drain --node "$node"
} >> "$log" 2>&1
rc=$?
echo "$(date -u +%FT%TZ) $node: exit $rc" >> "$log"
case "$mode" in
  prolog | epilog) exit "$rc" ;;
  *) exit 0 ;;
esac
