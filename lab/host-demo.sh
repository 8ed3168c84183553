#!/usr/bin/env bash
# The single-host demo: a client fetches from a VIP that the host's own kernel serves, through the
# Java dataplane running as a cluster host (balance mode) with its exception path to the kernel.
#
#   ns lbhost-client               ns lbhost-h1 (host 1 of the cluster)
#   client0 10.99.1.10/24 ==veth== nic0 ── DPDK net_af_packet0 ┐
#                                                              Java dataplane (--cluster, host 1)
#                                  lbk0 ── DPDK net_tap0 ──────┘
#                                  10.99.1.1/24 (dedicated IP) + 10.99.1.100/32 (the VIP)
#                                  python3 http.server on 10.99.1.100:8080
#
# The dataplane answers the client's ARP for the VIP with the cluster MAC 02:bf:0a:63:01:64, accepts
# the VIP packets (the host owns every bucket) and hands them to the kernel through the tap; the
# kernel's replies come back through the tap and leave the NIC with the masked source MAC
# 02:01:0a:63:01:64.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NS_C=lbhost-client NS_H=lbhost-h1
CLIENT_IP=10.99.1.10 HOST_IP=10.99.1.1 VIP=10.99.1.100 PORT=8080
CLUSTER_MAC=02:bf:0a:63:01:64 SOURCE_MAC=02:01:0a:63:01:64
WORK=/tmp/lbhost-demo
LOG="$WORK/dataplane.log"
FETCHES=5
DP_PID=

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { printf 'host-demo: %s\n' "$*" >&2; exit 1; }

# Stops what runs in the demo's namespaces (the dataplane, the web server, a capture) by process id,
# then deletes the namespaces; also clears what an interrupted earlier run left behind.
cleanup() {
    local ns pid
    if [ -n "$DP_PID" ] && kill -0 "$DP_PID" 2>/dev/null; then
        kill -TERM "$DP_PID" 2>/dev/null || true
        wait "$DP_PID" 2>/dev/null || true
    fi
    for ns in "$NS_C" "$NS_H"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null || true); do
            kill -TERM "$pid" 2>/dev/null || true
        done
    done
    for ns in "$NS_C" "$NS_H"; do
        for _ in $(seq 1 50); do
            [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break
            sleep 0.1
        done
        ip netns del "$ns" 2>/dev/null || true
    done
}

# Polls a command until it succeeds, up to $1 tenths of a second.
await() {
    local tenths=$1
    shift
    for _ in $(seq 1 "$tenths"); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

dataplane_alive() {
    kill -0 "$DP_PID" 2>/dev/null || { cat "$LOG"; die "the dataplane exited"; }
}

[ "$(id -u)" -eq 0 ] || die "run as root: the demo makes network namespaces and veth pairs"
for tool in ip ethtool python3 curl ping tcpdump; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install -y iproute2 ethtool python3 curl iputils-ping tcpdump)"
done

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cleanup
rm -rf "$WORK"
mkdir -p "$WORK/www"

say "namespaces: $NS_C (the client) and $NS_H (the host), one veth pair client0 <-> nic0"
ip netns add "$NS_C"
ip netns add "$NS_H"
ip -n "$NS_C" link set lo up
ip -n "$NS_H" link set lo up
ip link add client0 netns "$NS_C" type veth peer name nic0 netns "$NS_H"
ip -n "$NS_C" addr add "$CLIENT_IP/24" dev client0
ip -n "$NS_C" link set client0 up
ip -n "$NS_H" link set nic0 up
# A veth leaves TCP/UDP checksums to the "hardware" (CHECKSUM_PARTIAL) and af_packet hands DPDK the
# frame as it is, so the host's kernel would drop every segment (TcpInCsumErrors): the client's
# "NIC" must finish its checksums, as a real one does.
ip netns exec "$NS_C" ethtool -K client0 tx off >/dev/null
# nic0 is the dataplane's NIC, but the host's kernel still sees it: without these it answers ARP for
# the VIP with nic0's own MAC (racing the dataplane, and the client then bypasses it), takes IP
# straight from nic0 (every VIP packet twice), and sends IPv6 chatter the dataplane reads as input.
ip netns exec "$NS_H" sysctl -q -w net.ipv4.conf.nic0.arp_ignore=8 net.ipv4.conf.nic0.rp_filter=1 \
    net.ipv6.conf.nic0.disable_ipv6=1
echo "client0: $CLIENT_IP/24, tx checksum offload off; nic0: no address, arp_ignore=8, rp_filter=1, no IPv6"

say "the cluster file: VIP $VIP, one TCP rule on port $PORT (multiple host), host 1 its only member"
cat >"$WORK/cluster.yaml" <<EOF
cluster:
  name: host-demo
  secret: "4f1c9a7e2b3d58c60e7fa1b2c3d4e5f6"
  mode: unicast
vips:
  - $VIP
port-rules:
  - vip: $VIP
    ports: $PORT
    protocol: tcp
    filtering: multiple
    affinity: single
hosts:
  - id: 1
    priority: 1
    name: h1
EOF
cat "$WORK/cluster.yaml"

say "starting the Java dataplane as host 1 in $NS_H: nic0 through net_af_packet, lbk0 through net_tap"
ip netns exec "$NS_H" "$ROOT/lb" dataplane \
    --no-huge -m 256 --no-pci --no-telemetry -l 0 --file-prefix lbhost \
    --vdev=net_af_packet0,iface=nic0 --vdev=net_tap0,iface=lbk0 \
    -- --cluster "$WORK/cluster.yaml" --host-id 1 --nic net_af_packet0 --kernel net_tap0 \
    --stats-interval 1 --aeron-dir /dev/shm/lbhost-aeron \
    >"$LOG" 2>&1 &
DP_PID=$!
started() { dataplane_alive && grep -q "running;" "$LOG"; }
await 600 started || { cat "$LOG"; die "the dataplane did not start within 60 s"; }
grep "lb-dataplane:" "$LOG"

say "the host's kernel behind the tap: lbk0 gets the dedicated IP and the VIP"
# The /24 on the dedicated IP gives the route back to the clients out of lbk0; the VIP is a /32 so
# the kernel owns it (accepts it, lets the server bind it) without a route of its own. No ARP sysctl
# is needed on lbk0: ARP requests for the VIP never reach the kernel (the dataplane answers them),
# and the kernel's own ARP requests claiming the VIP are rewritten to the cluster MAC on the way out.
ip -n "$NS_H" addr add "$HOST_IP/24" dev lbk0
ip -n "$NS_H" addr add "$VIP/32" dev lbk0
ip -n "$NS_H" link set lbk0 up
ip -n "$NS_H" -br addr show dev lbk0

say "a web server in the host's kernel, bound to $VIP:$PORT"
echo "hello from host 1's kernel, served on $VIP:$PORT through the lb dataplane" >"$WORK/www/index.html"
ip netns exec "$NS_H" python3 -m http.server --bind "$VIP" --directory "$WORK/www" "$PORT" \
    >"$WORK/server.log" 2>&1 &
listening() { ip netns exec "$NS_H" ss -Hltn "sport = :$PORT" | grep -q .; }
await 100 listening || { cat "$WORK/server.log"; die "the web server is not listening"; }
ip netns exec "$NS_H" ss -ltn "sport = :$PORT"

say "capturing on client0, the client's side of the wire, from here on"
# --immediate-mode: frames still waiting in libpcap's ring when tcpdump stops would be lost.
ip netns exec "$NS_C" tcpdump -i client0 -e -n -l --immediate-mode -Z root "arp or icmp or tcp port $PORT" \
    >"$WORK/capture.txt" 2>"$WORK/capture.err" &
CAPTURE_PID=$!
await 100 grep -q "listening on" "$WORK/capture.err" || { cat "$WORK/capture.err"; die "tcpdump did not start"; }
echo "tcpdump -e -n on client0 (pid $CAPTURE_PID)"

say "the client pings the VIP: the dataplane answers its ARP, ICMP goes to the default host (this one)"
ip netns exec "$NS_C" ping -c 3 -i 0.3 "$VIP"
ip -n "$NS_C" neigh show "$VIP"
[ "$(ip -n "$NS_C" neigh show "$VIP" | awk '{print $5}')" = "$CLUSTER_MAC" ] \
    || die "the client's neighbour entry for $VIP is not the cluster MAC $CLUSTER_MAC"
echo "the client reaches $VIP at the cluster MAC $CLUSTER_MAC"

say "the client fetches http://$VIP:$PORT/ $FETCHES times"
ok=0
for i in $(seq 1 "$FETCHES"); do
    if body=$(ip netns exec "$NS_C" curl -sS --noproxy '*' -m 5 "http://$VIP:$PORT/"); then
        ok=$((ok + 1))
        [ "$i" -eq 1 ] && echo "answer: $body"
    fi
done
echo "$ok of $FETCHES fetches answered"
[ "$ok" -eq "$FETCHES" ] || die "$((FETCHES - ok)) fetches failed"

say "what the client saw: ARP naming the cluster MAC, the VIP's frames from the masked source MAC"
kill -INT "$CAPTURE_PID"
wait "$CAPTURE_PID" 2>/dev/null || true
# The client's request and the dataplane's answer; the kernel's own request for the client's MAC, sent
# from the VIP and rewritten by the dataplane (the client's reply goes to the cluster MAC).
grep "ARP" "$WORK/capture.txt"
grep -m 4 "Flags \[S" "$WORK/capture.txt"
# tcpdump -e: "time src-mac > dst-mac, ethertype IPv4 (0x0800), length N: src-ip[.port] > dst..."
read -r from_vip masked < <(awk -v vip="$VIP" -v mac="$SOURCE_MAC" \
    '$6 == "IPv4" && ($10 == vip || index($10, vip ".") == 1) { n++; if ($2 == mac) m++ }
     END { print n + 0, m + 0 }' "$WORK/capture.txt")
echo "$from_vip IPv4 frames from $VIP reached the client, $masked of them from $SOURCE_MAC"
[ "$from_vip" -gt 0 ] && [ "$from_vip" -eq "$masked" ] || die "frames from the VIP must leave from $SOURCE_MAC"

say "the host's own traffic: the client pings the dedicated IP $HOST_IP, passed unfiltered"
ip netns exec "$NS_C" ping -c 2 -i 0.3 "$HOST_IP"
ip -n "$NS_C" neigh show

say "the dataplane's latest stats line"
stats_lines() { grep -c "stats:" "$LOG" || true; }
# A stats line printed entirely after the fetches: the second one from now (one per second).
seen=$(stats_lines)
fresh_stats() { [ "$(stats_lines)" -gt "$((seen + 1))" ]; }
await 30 fresh_stats || true
grep "stats:" "$LOG" | tail -1

say "stopping the dataplane with SIGTERM: workers stop, ports drain and close, EAL cleans up"
kill -TERM "$DP_PID"
wait "$DP_PID" && status=0 || status=$?
DP_PID=
sed -n '/stopping/,$p' "$LOG"
echo "dataplane exit status: $status"
[ "$status" -eq 0 ] || exit "$status"
grep -q "mbufs in use at exit: 0" "$LOG" || die "mbufs leaked"

say "demo done: the VIP's connections went client -> dataplane -> tap -> kernel and back out the NIC"
