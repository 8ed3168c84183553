#!/usr/bin/env bash
# Checks that the C reference load balancer (bench/cref/build/lb-cref) decides exactly as the Java dataplane's
# balance mode: both run, one after the other, on the same capture (lb.bench.cref.EquivalenceTraffic: flows,
# fragments, ICMP errors, ARP/ND, the host's own traffic, malformed frames) with the same view (the C reads what
# lb.bench.cref.ViewExport writes from the cluster file the Java loads), and must print the same count for every
# verdict. For one case per cluster file the ports are pcap files too, and the frames each sends to the kernel
# and back out the NIC (ARP/ND answers) must be the same bytes in the same order.
#
# usage: bench/cref/check-equivalence.sh [--keep]     (--keep leaves the work directory for inspection)
# Exit status 0 when every comparison matched, 1 on a mismatch, 2 when something could not run.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1
WORK=$(mktemp -d /tmp/lb-cref-check.XXXXXX)
PREFIX="lbcref$$"
FLOWS=3000
DURATION=1.5

say() { printf 'check-equivalence: %s\n' "$*"; }
fail() { say "$*" >&2; exit 2; }
cleanup() {
    rm -rf "/dev/shm/lb-cref-check-$$" /var/run/dpdk/"$PREFIX"* 2>/dev/null
    if [ "$KEEP" = 1 ]; then say "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- prerequisites: JDK 25, the Java modules, the C binary --------------------------------------------------

for candidate in "${LB_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] &&
        "$candidate/bin/java" -XshowSettings:properties -version 2>&1 | grep -q 'java.specification.version = 25'; then
        JAVA_HOME=$candidate
        break
    fi
done
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] || fail "JDK 25 not found (set LB_JAVA_HOME)"
export JAVA_HOME
CLASSES="$ROOT/bench/target/classes"
if [ ! -f "$ROOT/bench/target/classpath.txt" ] || [ ! -f "$CLASSES/lb/bench/cref/ViewExport.class" ] ||
    [ -n "$(find "$ROOT/bench/src/main/java/lb/bench/cref" -name '*.java' -newer "$CLASSES/lb/bench/cref/ViewExport.class")" ]; then
    say "building the Java modules (./lb build)"
    "$ROOT/lb" build >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "./lb build failed"; }
fi
make -s -C "$ROOT/bench/cref" || fail "make -C bench/cref failed"
CP="$CLASSES:$(cat "$ROOT/bench/target/classpath.txt")"
java_tool() { "$JAVA_HOME/bin/java" -cp "$CP" "$@"; }

EAL=(--no-huge -m 512 --no-pci -l 0,1 --log-level lib.eal:warning)
# An empty capture: the kernel port's receive side in the pcap case.
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x01\x00\x00\x00' \
    >"$WORK/empty.pcap"

# --- one contender run -----------------------------------------------------------------------------------

# run_pair NAME CLUSTER HOST CAPTURE PORTS(null|pcap): runs both, leaves $WORK/NAME.{cref,java}.{log,verdicts}.
run_pair() {
    local name=$1 cluster=$2 host=$3 capture=$4 ports=$5 dir="$WORK/$1"
    mkdir -p "$dir/cref" "$dir/java"
    java_tool lb.bench.cref.ViewExport --cluster "$cluster" --host-id "$host" --out "$dir/view" >/dev/null ||
        fail "$name: ViewExport failed"
    local who
    for who in cref java; do
        local vdevs=("--vdev=net_pcap0,rx_pcap=$capture")
        if [ "$ports" = pcap ]; then
            vdevs=("--vdev=net_pcap0,rx_pcap=$capture,tx_pcap=$dir/$who/nic-out.pcap"
                "--vdev=net_pcap1,rx_pcap=$WORK/empty.pcap,tx_pcap=$dir/$who/kernel-out.pcap")
            local kernel=net_pcap1
        else
            vdevs+=("--vdev=net_null0,no-rx=1")
            local kernel=net_null0
        fi
        local eal=("${EAL[@]}" --file-prefix "$PREFIX$who" "${vdevs[@]}")
        if [ "$who" = cref ]; then
            "$ROOT/bench/cref/build/lb-cref" "${eal[@]}" -- --view "$dir/view" --nic net_pcap0 --kernel "$kernel" \
                --connections 65536 --duration "$DURATION" >"$dir/cref.log" 2>&1 ||
                { tail -20 "$dir/cref.log" >&2; fail "$name: lb-cref failed"; }
            sed -n 's/^lb-cref: verdicts: //p' "$dir/cref.log" | tr ' ' '\n' | grep -v '=0$' | sort >"$dir/cref.verdicts"
        else
            "$ROOT/lb" dataplane "${eal[@]}" -- --cluster "$cluster" --host-id "$host" --nic net_pcap0 \
                --kernel "$kernel" --connections 65536 --duration "$DURATION" \
                --aeron-dir "/dev/shm/lb-cref-check-$$" >"$dir/java.log" 2>&1 ||
                { tail -20 "$dir/java.log" >&2; fail "$name: the Java dataplane failed"; }
            # "stopped: worker 0 rx N from the nic: accept 5 not_owner 3" -> ACCEPT=5 DROP_NOT_OWNER=3
            sed -n 's/^lb-dataplane: stopped: worker 0 rx [0-9]* from the nic: //p' "$dir/java.log" |
                awk '{ for (i = 1; i < NF; i += 2) { v = toupper($i);
                       if (v != "ACCEPT" && v != "PASS" && v != "REPLY") v = "DROP_" v; print v "=" $(i + 1) } }' |
                grep -v '=0$' | sort >"$dir/java.verdicts"
        fi
    done
}

MISMATCHES=0

compare_verdicts() {
    local name=$1 dir="$WORK/$1" frames=$2
    local rx_cref rx_java
    rx_cref=$(sed -n 's/^lb-cref: rx \([0-9]*\) from the nic.*/\1/p' "$dir/cref.log")
    rx_java=$(sed -n 's/^lb-dataplane: stopped: worker 0 rx \([0-9]*\) from the nic.*/\1/p' "$dir/java.log")
    if [ "$rx_cref" != "$frames" ] || [ "$rx_java" != "$frames" ]; then
        say "$name: MISMATCH: the capture has $frames frames, lb-cref received '$rx_cref', the Java '$rx_java'"
        MISMATCHES=$((MISMATCHES + 1))
        return
    fi
    if [ ! -s "$dir/cref.verdicts" ] || ! diff -q "$dir/cref.verdicts" "$dir/java.verdicts" >/dev/null; then
        say "$name: MISMATCH in verdicts (left lb-cref, right Java):"
        diff -y "$dir/cref.verdicts" "$dir/java.verdicts" | sed 's/^/    /'
        MISMATCHES=$((MISMATCHES + 1))
        return
    fi
    say "$name: $frames frames, same verdicts: $(tr '\n' ' ' <"$dir/cref.verdicts")"
}

# The frames of a capture as hex, one per line. Out of the NIC, the Java also sends its start-up announcements
# (gratuitous ARP: sender = target address; unsolicited NA to ff02::1), which the C reference does not port.
frames_hex() {
    tcpdump -nr "$1" -t -xx "not (arp and arp[14:4] = arp[24:4]) and not (ip6 dst ff02::1 and icmp6 and ip6[40] = 136)" \
        2>/dev/null | awk '/^[^\t ]/ { if (f != "") print f; f = "" } /^\t0x/ { $1 = ""; f = f $0 } END { if (f != "") print f }'
}

compare_frames() {
    local name=$1 dir="$WORK/$1" side
    for side in kernel nic; do
        frames_hex "$dir/cref/$side-out.pcap" >"$dir/cref.$side.hex"
        frames_hex "$dir/java/$side-out.pcap" >"$dir/java.$side.hex"
        if ! cmp -s "$dir/cref.$side.hex" "$dir/java.$side.hex"; then
            say "$name: MISMATCH in the frames sent to the $side ($(wc -l <"$dir/cref.$side.hex") from lb-cref," \
                "$(wc -l <"$dir/java.$side.hex") from the Java); first difference:"
            diff "$dir/cref.$side.hex" "$dir/java.$side.hex" | head -4 | cut -c1-160 | sed 's/^/    /'
            MISMATCHES=$((MISMATCHES + 1))
        else
            say "$name: the same $(wc -l <"$dir/cref.$side.hex") frames, byte for byte, to the $side"
        fi
    done
}

# --- the cases -------------------------------------------------------------------------------------------

CASES=(
    "example-h1 $ROOT/config/example-cluster.yaml 1 pcap"
    "example-h1-null $ROOT/config/example-cluster.yaml 1 null"
    "example-h3 $ROOT/config/example-cluster.yaml 3 null"
    "equivalence-h2 $ROOT/bench/cref/equivalence-cluster.yaml 2 pcap"
    "equivalence-h1 $ROOT/bench/cref/equivalence-cluster.yaml 1 null"
)
if [ -f "$ROOT/bench/config/bench-cluster.yaml" ]; then
    CASES+=("bench-h1 $ROOT/bench/config/bench-cluster.yaml 1 null")
fi

for case in "${CASES[@]}"; do
    read -r name cluster host ports <<<"$case"
    capture="$WORK/$(basename "$cluster" .yaml).pcap"
    if [ ! -f "$capture" ]; then
        java_tool lb.bench.cref.EquivalenceTraffic --cluster "$cluster" --out "$capture" --flows "$FLOWS" \
            >"$capture.txt" || fail "EquivalenceTraffic failed for $cluster"
    fi
    frames=$(sed -n 's/^equivalence-traffic: \([0-9]*\) frames.*/\1/p' "$capture.txt")
    run_pair "$name" "$cluster" "$host" "$capture" "$ports"
    compare_verdicts "$name" "$frames"
    if [ "$ports" = pcap ]; then
        compare_frames "$name"
    fi
done

if [ "$MISMATCHES" -ne 0 ]; then
    say "FAILED: $MISMATCHES mismatches (run with --keep to inspect the logs and captures)"
    exit 1
fi
say "OK: lb-cref and the Java dataplane decided every frame alike in ${#CASES[@]} cases"
