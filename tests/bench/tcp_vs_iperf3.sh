#!/bin/bash
# tcp_vs_iperf3.sh RAILCHECK_BIN [STREAMS] [SECONDS] - a benchmark, not a test: in a 2-host netns cluster,
# iperf3 node1 -> node2 with STREAMS parallel streams (default 1) for SECONDS (default 5), then railcheck p2p
# on the same veth link with the same stream count (-q) and duration (-D); prints both and the ratio
# railcheck/iperf3 (target >= 0.9). Like for like, iperf3 writes blocks of railcheck's message size
# (RC_BENCH_SIZE, default 1M: iperf3 -l 1M); RC_BENCH_IPERF_LEN=default keeps iperf3's own 128 KiB block, any
# other value is passed to -l. Run it through the cluster runner:
#   tests/cluster/with_cluster.sh --nodes 2 -- tests/bench/tcp_vs_iperf3.sh build/railcheck 1 5
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cluster=$here/../cluster
# shellcheck source=../cluster/cluster_env.sh
. "$cluster/cluster_env.sh"
bin=${1:?usage: $0 RAILCHECK_BIN [STREAMS] [SECONDS]}
streams=${2:-1}
seconds=${3:-5}
size=${RC_BENCH_SIZE:-1M}
iperf_len=${RC_BENCH_IPERF_LEN:-$size}
iperf_len_args=()
[ "$iperf_len" != default ] && iperf_len_args=(-l "$iperf_len")
work=${RC_CLUSTER_WORK:?run inside tests/cluster/with_cluster.sh}
command -v iperf3 >/dev/null || { echo "SKIP: iperf3 not installed"; exit 77; }

ip netns exec node2 iperf3 -s -1 -B "$RC_NET.2" >"$work/iperf3-server.log" 2>&1 &
server=$!
sleep 0.5
ip netns exec node1 iperf3 -c "$RC_NET.2" -B "$RC_NET.1" -P "$streams" -t "$seconds" "${iperf_len_args[@]}" -J >"$work/iperf3.json"
wait "$server" || true
iperf_gbits=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('%.3f' % (d['end']['sum_received']['bits_per_second']/1e9))" "$work/iperf3.json")

"$cluster/cluster_mpirun.sh" -- "$bin" p2p --transport tcp --subnet "$RC_NET.0/24" -q "$streams" -s "$size" \
  -D "$seconds" --lat_iters 0 --report_gbits --output-dir "$work/p2p" >"$work/p2p.log"
rc_gbits=$(python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
print('%.3f' % [r for r in d['records'] if r['op']=='bw' and r['src_host']=='node1'][0]['bw_gbits'])" "$work/p2p/results.json")
ratio=$(python3 -c "print('%.3f' % ($rc_gbits / $iperf_gbits))")
echo "iperf3 -P $streams -t $seconds -l $iperf_len node1->node2:   $iperf_gbits Gb/s (receiver)"
echo "railcheck p2p -q $streams -D $seconds -s $size node1->node2: $rc_gbits Gb/s"
echo "ratio railcheck/iperf3: $ratio (target >= 0.9)"
