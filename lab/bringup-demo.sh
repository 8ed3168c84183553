#!/usr/bin/env bash
# The bring-up demo: the Java dataplane on DPDK as a bump in the wire between two network namespaces.
#
#   ns lbdemo-a                 ns lbdemo-dp                          ns lbdemo-b
#   a0 10.99.0.1/24 ==veth== a1 [net_af_packet0 <-> net_af_packet1] b1 ==veth== b0 10.99.0.2/24
#
# a and b share a subnet but have no link between them: every frame between them (ARP included) is
# received by DPDK, handed to the Java worker, and transmitted on the other port. The demo pings
# through it, shows the dataplane's counters, then stops the dataplane and shows the pings fail.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NS_A=lbdemo-a NS_B=lbdemo-b NS_DP=lbdemo-dp
LOG=/tmp/lbdemo-dataplane.log
DP_PID=

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

cleanup() {
    if [ -n "$DP_PID" ] && kill -0 "$DP_PID" 2>/dev/null; then
        kill -TERM "$DP_PID" 2>/dev/null || true
        wait "$DP_PID" 2>/dev/null || true
    fi
    for ns in "$NS_A" "$NS_B" "$NS_DP"; do
        ip netns del "$ns" 2>/dev/null || true
    done
}
trap cleanup EXIT
cleanup

say "making namespaces $NS_A, $NS_B (hosts) and $NS_DP (the dataplane), joined by veth pairs"
for ns in "$NS_A" "$NS_B" "$NS_DP"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
done
ip link add a0 netns "$NS_A" type veth peer name a1 netns "$NS_DP"
ip link add b0 netns "$NS_B" type veth peer name b1 netns "$NS_DP"
ip -n "$NS_A" addr add 10.99.0.1/24 dev a0
ip -n "$NS_B" addr add 10.99.0.2/24 dev b0
for pair in "$NS_A a0" "$NS_B b0" "$NS_DP a1" "$NS_DP b1"; do
    # shellcheck disable=SC2086
    set -- $pair
    ip -n "$1" link set "$2" up
done

say "without a dataplane, a cannot reach b"
if ip netns exec "$NS_A" ping -c 2 -W 1 -q 10.99.0.2; then
    echo "unexpected: a reached b with nothing forwarding" >&2
    exit 1
fi

say "starting the Java dataplane on DPDK (net_af_packet on a1 and b1) in $NS_DP"
ip netns exec "$NS_DP" "$ROOT/lb" dataplane \
    --no-huge -m 256 --no-pci --no-telemetry -l 0 --file-prefix lbdemo \
    --vdev=net_af_packet0,iface=a1 --vdev=net_af_packet1,iface=b1 \
    -- --port net_af_packet0 --tx-port net_af_packet1 --stats-interval 2 --aeron-dir /dev/shm/lbdemo-aeron \
    >"$LOG" 2>&1 &
DP_PID=$!
for _ in $(seq 1 100); do
    grep -q "running;" "$LOG" 2>/dev/null && break
    kill -0 "$DP_PID" 2>/dev/null || { cat "$LOG"; echo "the dataplane exited" >&2; exit 1; }
    sleep 0.2
done
grep "lb-dataplane:" "$LOG"

say "a pings b through the dataplane"
ip netns exec "$NS_A" ping -c 5 -i 0.3 10.99.0.2

say "b pings a through the dataplane (a flood of 2000, to see the counters move)"
ip netns exec "$NS_B" ping -f -c 2000 -q 10.99.0.1

sleep 2.2
say "the dataplane's latest stats line"
grep "stats:" "$LOG" | tail -1

say "stopping the dataplane with SIGTERM: workers stop, ports drain and close, EAL cleans up"
kill -TERM "$DP_PID"
wait "$DP_PID" && status=0 || status=$?
DP_PID=
sed -n '/stopping/,$p' "$LOG"
echo "dataplane exit status: $status"
[ "$status" -eq 0 ] || exit "$status"

say "with the dataplane stopped, a cannot reach b again"
if ip netns exec "$NS_A" ping -c 2 -W 1 -q 10.99.0.2; then
    echo "unexpected: a reached b after the dataplane stopped" >&2
    exit 1
fi

say "demo done: every frame between a and b went through DPDK and the Java worker"
