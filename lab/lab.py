#!/usr/bin/env python3
"""The lab: a whole lb cluster on one machine, in network namespaces (docs/lab.md).

    ./lb lab up [--hosts N] [--clients M]    build the topology, start every host (lbd + dataplane + service)
    ./lb lab down                            stop everything and remove every trace (also of a killed run)
    ./lb lab status                          what runs, per host: state, mode, buckets, the service's counts
    ./lb lab exec HOST -- CMD...             run CMD in a host's (h1, 2) or client's (c1) namespace;
                                             `lbctl` there is that host's lbctl
    ./lb demo [--hosts N] [--clients M] [--duration D] [--keep]   the scenario (lab/demo.py)

Topology (prefix lbl-, so nothing collides with the ITs' lbt-*):

    lbl-sw   the switch: a Linux bridge, MAC learning off and flooding on every port (unicast mode: the cluster
             MAC reaches every host)
    lbl-mg   the management bridge (heartbeats, lbctl forwarding, /metrics): 10.98.0.N hosts, 10.98.0.254 here
    lbl-hN   host N: nic0 (its switch port; DPDK net_af_packet), lbk0 (DPDK net_tap: its kernel, 10.97.0.N/16
             and the VIPs), mgmt0 (10.98.0.N/24); lbd + dataplane, the service (lab/service.py) on :8000 :80 :8080
    lbl-cK   client K: eth0, 10.97.K.1/16 and session addresses 10.97.K.11..
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB = os.path.join(ROOT, "lab")
PREFIX = "lbl"
WORK = "/tmp/lbl"
SHM = "/dev/shm"
SWITCH = PREFIX + "-sw"
MGMT = PREFIX + "-mg"
VIP = "10.97.0.100"
VIP2 = "10.97.0.101"
MGMT_HOST = "10.98.0.254"
LB_PORT, STICKY_PORT, PLAIN_PORT = 8000, 80, 8080
MGMT_PORT, METRICS_PORT = 7400, 9464
PROMETHEUS_PORT = 9490
SECRET = "6c62206c61622073656372657420303d"
HEARTBEAT_MS, LOSS_TOLERANCE = 200, 5
STICKY_TIMEOUT = "10m"
SESSION_IPS = 8


def log(msg):
    print("lab: " + msg, flush=True)


def die(msg):
    print("lab: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def sh(*cmd, check=True, quiet=False, capture=False):
    """Runs a command; returns its stdout when captured."""
    result = subprocess.run(list(cmd), stdout=subprocess.PIPE if capture or quiet else None,
                            stderr=subprocess.PIPE if quiet else None, text=True)
    if check and result.returncode != 0:
        die("failed (%d): %s\n%s" % (result.returncode, " ".join(cmd), (result.stderr or "") if quiet else ""))
    return result.stdout if capture else result.returncode


def ns_host(n):
    return "%s-h%d" % (PREFIX, n)


def ns_client(k):
    return "%s-c%d" % (PREFIX, k)


def run_dir(n):
    return os.path.join(SHM, "%s-h%d" % (PREFIX, n))


def host_dir(n):
    return os.path.join(WORK, "h%d" % n)


def client_ip(k):
    return "10.97.%d.1" % k


def session_ips(k, count=SESSION_IPS):
    return ["10.97.%d.%d" % (k, 11 + i) for i in range(count)]


def mgmt_ip(n):
    return "10.98.0.%d" % n


def masked_mac(priority, vip=VIP):
    return "02:%02x:%s" % (priority, ":".join("%02x" % int(b) for b in vip.split(".")))


def cluster_mac(vip=VIP):
    return "02:bf:" + ":".join("%02x" % int(b) for b in vip.split("."))


# --- state --------------------------------------------------------------------------------------------------------

def load_shape():
    try:
        with open(os.path.join(WORK, "lab.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def remember_pid(pid, what):
    with open(os.path.join(WORK, "pids"), "a") as f:
        f.write("%d %s\n" % (pid, what))


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def netns_list():
    out = sh("ip", "netns", "list", capture=True, check=False) or ""
    return [line.split()[0] for line in out.splitlines() if line.startswith(PREFIX + "-")]


def netns_pids(ns):
    out = sh("ip", "netns", "pids", ns, capture=True, check=False, quiet=True) or ""
    return [int(p) for p in out.split()]


def kill_all(pids, grace=5.0):
    """SIGTERM each process (by id), then SIGKILL those left after the grace."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.time() + grace
    while time.time() < deadline and any(pid_alive(p) for p in pids):
        time.sleep(0.1)
    for pid in pids:
        if pid_alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def cleanup(verbose=True):
    """Removes everything a lab run (this one, or one that was killed) left: the processes in its namespaces and
    those it started outside them, the namespaces, the bridges and veths, its Aeron and EAL files, its work dir."""
    found = []
    pids = []
    try:
        with open(os.path.join(WORK, "pids")) as f:
            for line in f:
                pid = int(line.split()[0])
                # Only a process that is still what we started (its command line names the lab).
                try:
                    with open("/proc/%d/cmdline" % pid, "rb") as c:
                        cmdline = c.read()
                except OSError:
                    continue
                if b"lbl" in cmdline or LAB.encode() in cmdline:
                    pids.append(pid)
    except OSError:
        pass
    namespaces = netns_list()
    for ns in namespaces:
        pids += netns_pids(ns)
    if pids:
        found.append("%d processes" % len(set(pids)))
        kill_all(sorted(set(pids)))
    for ns in namespaces:
        sh("ip", "netns", "del", ns, check=False, quiet=True)
    if namespaces:
        found.append("namespaces " + " ".join(namespaces))
    links = sh("ip", "-o", "link", "show", capture=True, check=False) or ""
    ours = sorted({line.split(":")[1].strip().split("@")[0] for line in links.splitlines()
                   if line.split(":")[1].strip().startswith(PREFIX + "-")})
    for link in ours:
        sh("ip", "link", "del", link, check=False, quiet=True)
    if ours:
        found.append("links " + " ".join(ours))
    files = [os.path.join(SHM, f) for f in os.listdir(SHM) if f.startswith(PREFIX + "-")]
    if os.path.isdir("/var/run/dpdk"):
        files += [os.path.join("/var/run/dpdk", f) for f in os.listdir("/var/run/dpdk") if f.startswith(PREFIX + "-")]
    for path in files:
        shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) else os.unlink(path)
    if files:
        found.append("files " + " ".join(files))
    if os.path.isdir(WORK):
        shutil.rmtree(WORK, ignore_errors=True)
    if verbose and found:
        log("cleaned up: " + "; ".join(found))
    return found


# --- topology -----------------------------------------------------------------------------------------------------

def ns_sh(ns, *cmd, **kw):
    return sh("ip", "netns", "exec", ns, *cmd, **kw)


def switch_port(dev):
    sh("ip", "link", "set", dev, "master", SWITCH, "up")
    # Unicast mode: the switch must never learn where the cluster MAC is (the hosts send from masked MACs, and
    # learning off makes sure): every frame for it is flooded to every host.
    sh("bridge", "link", "set", "dev", dev, "learning", "off", "flood", "on", "mcast_flood", "on")


def cluster_yaml(hosts):
    lines = ["# The lab's cluster (lab/lab.py writes it).",
             "cluster:",
             "  name: lab",
             '  secret: "%s"' % SECRET,
             "  mode: unicast",
             "  heartbeat: {period: %dms, loss-tolerance: %d}" % (HEARTBEAT_MS, LOSS_TOLERANCE),
             "  gratuitous-arp: {count: 3, spacing: 1s}",
             "vips: [%s, %s]" % (VIP, VIP2),
             "port-rules:",
             "  # load: spread by client IP and port (a new connection lands anywhere)",
             "  - {vip: all, ports: %d, protocol: tcp, affinity: none}" % LB_PORT,
             "  # the shopping cart: a client stays on its host across convergence",
             "  - {vip: all, ports: %d, protocol: tcp, affinity: single, extended-affinity: %s}" % (STICKY_PORT,
                                                                                                  STICKY_TIMEOUT),
             "  # the same without extended affinity: a client follows its bucket",
             "  - {vip: all, ports: %d, protocol: tcp, affinity: single}" % PLAIN_PORT,
             "hosts:"]
    for n in range(1, hosts + 1):
        lines.append('  - {id: %d, priority: %d, name: h%d, management: "%s:%d"}' % (n, n, n, mgmt_ip(n), MGMT_PORT))
    return "\n".join(lines) + "\n"


def write_lbctl(n):
    """lbctl for host N: `./lb ctl` told where this host's lbd is."""
    bindir = os.path.join(host_dir(n), "bin")
    os.makedirs(bindir, exist_ok=True)
    path = os.path.join(bindir, "lbctl")
    with open(path, "w") as f:
        f.write("""#!/usr/bin/env bash
# lbctl of lab host %(n)d: ./lb ctl with this host's run directory (or its counters, for stat).
for a in "$@"; do case "$a" in --run-dir|--run-dir=*|--aeron-dir|--aeron-dir=*|-h|--help) exec %(lb)s ctl "$@";; esac; done
case "${1:-}" in
    '') exec %(lb)s ctl ;;
    stat) exec %(lb)s ctl "$@" --aeron-dir %(run)s/dataplane ;;
    *) exec %(lb)s ctl "$@" --run-dir %(run)s ;;
esac
""" % {"n": n, "lb": os.path.join(ROOT, "lb"), "run": run_dir(n)})
    os.chmod(path, 0o755)


def build_topology(hosts, clients):
    sh("ip", "link", "add", SWITCH, "type", "bridge", "stp_state", "0", "mcast_snooping", "0")
    sh("ip", "link", "set", SWITCH, "up")
    sh("ip", "link", "add", MGMT, "type", "bridge", "stp_state", "0")
    sh("ip", "addr", "add", MGMT_HOST + "/24", "dev", MGMT)
    sh("ip", "link", "set", MGMT, "up")
    for n in range(1, hosts + 1):
        ns = ns_host(n)
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "link", "add", "%s-h%ds" % (PREFIX, n), "type", "veth", "peer", "name", "nic0", "netns", ns)
        switch_port("%s-h%ds" % (PREFIX, n))
        sh("ip", "-n", ns, "link", "set", "nic0", "up")
        # nic0 is the dataplane's NIC, but the host's kernel still sees it: it must not answer ARP there, take IP
        # from it, or chatter IPv6 on it (host-demo.sh says why).
        ns_sh(ns, "sysctl", "-q", "-w", "net.ipv4.conf.nic0.arp_ignore=8", "net.ipv4.conf.nic0.rp_filter=1",
              "net.ipv6.conf.nic0.disable_ipv6=1")
        sh("ip", "link", "add", "%s-h%dm" % (PREFIX, n), "type", "veth", "peer", "name", "mgmt0", "netns", ns)
        sh("ip", "link", "set", "%s-h%dm" % (PREFIX, n), "master", MGMT, "up")
        sh("ip", "-n", ns, "addr", "add", mgmt_ip(n) + "/24", "dev", "mgmt0")
        sh("ip", "-n", ns, "link", "set", "mgmt0", "up")
    for k in range(1, clients + 1):
        ns = ns_client(k)
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "link", "add", "%s-c%ds" % (PREFIX, k), "type", "veth", "peer", "name", "eth0", "netns", ns)
        switch_port("%s-c%ds" % (PREFIX, k))
        ns_sh(ns, "sysctl", "-q", "-w", "net.ipv6.conf.eth0.disable_ipv6=1")
        sh("ip", "-n", ns, "addr", "add", client_ip(k) + "/16", "dev", "eth0")
        for ip in session_ips(k):
            sh("ip", "-n", ns, "addr", "add", ip + "/16", "dev", "eth0")
        sh("ip", "-n", ns, "link", "set", "eth0", "up")
        # A veth leaves TCP checksums to the "hardware" and af_packet hands DPDK the frame as it is: the client's
        # NIC must finish them, as a real one does.
        ns_sh(ns, "ethtool", "-K", "eth0", "tx", "off", quiet=True)


def spawn(cmd, logfile, what, stdin=subprocess.DEVNULL, new_session=True):
    # A process group of its own (Ctrl-C in the terminal does not reach it), not a session: each session is a
    # scheduling autogroup of the kernel, and on two cores the group weights starved mostly idle dataplanes past
    # lbd's 3 s status timeout (see docs/lbd.md, Supervision).
    out = open(logfile, "ab")
    detach = {"process_group": 0} if sys.version_info >= (3, 11) else {"preexec_fn": os.setpgrp}
    proc = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                            **(detach if new_session else {}))
    remember_pid(proc.pid, what)
    return proc


TAP_WATCH = r"""
# Gives the host's kernel its addresses on the tap whenever the dataplane (re)creates it.
while :; do
  if ip link show lbk0 >/dev/null 2>&1 && ! ip -br addr show dev lbk0 | grep -q ' %(vip)s/'; then
    ip addr add %(ip)s/16 dev lbk0 2>/dev/null; ip addr add %(vip)s/32 dev lbk0 2>/dev/null
    ip addr add %(vip2)s/32 dev lbk0 2>/dev/null; ip link set lbk0 up; echo "$(date +%%T.%%N) lbk0 configured"
  fi
  sleep 0.5
done
"""


def start_service(n):
    d = host_dir(n)
    spawn(["ip", "netns", "exec", ns_host(n), "bash", "-c", TAP_WATCH % {"ip": "10.97.0.%d" % n, "vip": VIP,
                                                                         "vip2": VIP2}],
          os.path.join(d, "tap.log"), "tap-watch h%d lbl" % n)
    spawn(["ip", "netns", "exec", ns_host(n), sys.executable, os.path.join(LAB, "service.py"), "--host-id", str(n),
           "--ports", "%d,%d,%d" % (LB_PORT, STICKY_PORT, PLAIN_PORT), "--stats", os.path.join(d, "service.json")],
          os.path.join(d, "service.log"), "service h%d lbl" % n)


def start_host(n):
    """Starts host N's lbd (which starts its dataplane) in its namespace; returns lbd's process."""
    d = host_dir(n)
    cmd = ["ip", "netns", "exec", ns_host(n), os.path.join(ROOT, "lb"), "host",
           "--cluster", os.path.join(WORK, "cluster.yaml"), "--host-id", str(n),
           "--run-dir", run_dir(n), "--state-dir", os.path.join(d, "state"),
           "--metrics", "%s:%d" % (mgmt_ip(n), METRICS_PORT), "--stop-grace", "5000",
           "--",
           "--no-huge", "-m", "256", "--no-pci", "--no-telemetry", "-l", str((n - 1) % os.cpu_count()),
           "--file-prefix", "%s-h%d" % (PREFIX, n),
           "--vdev=net_af_packet0,iface=nic0", "--vdev=net_tap0,iface=lbk0",
           "--",
           "--nic", "net_af_packet0", "--kernel", "net_tap0", "--idle", "backoff",
           "--connections", "65536", "--sticky-clients", "4096", "--mbufs", "8191"]
    env_jvm = os.environ.get("LB_JVM_OPTS", "")
    os.environ["LB_JVM_OPTS"] = (env_jvm + " -Xmx256m").strip()
    try:
        proc = spawn(cmd, os.path.join(d, "lbd.log"), "lbd h%d lbl" % n)
    finally:
        os.environ["LB_JVM_OPTS"] = env_jvm
    with open(os.path.join(d, "lbd.pid"), "w") as f:
        f.write(str(proc.pid))
    return proc


def pid_alive_host(n):
    """Whether host N's lbd runs."""
    try:
        with open(os.path.join(host_dir(n), "lbd.pid")) as f:
            return pid_alive(int(f.read()))
    except (OSError, ValueError):
        return False


def status(n):
    try:
        with open(os.path.join(run_dir(n), "status.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def serving(st, members=None):
    if not st or st.get("mode") != "serving" or not st.get("converged"):
        return False
    view = st.get("appliedView") or {}
    if not view.get("acked"):
        return False
    if members is not None and sorted(m["hostId"] for m in st.get("members", [])) != sorted(members):
        return False
    return True


def wait_for(what, condition, timeout=120.0, period=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(period)
    die("timed out after %.0f s waiting for %s" % (timeout, what))


def metrics(n, timeout=0.5):
    """host N's /metrics as {name{labels}: value}."""
    try:
        with urllib.request.urlopen("http://%s:%d/metrics" % (mgmt_ip(n), METRICS_PORT), timeout=timeout) as r:
            text = r.read().decode()
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            try:
                values[key] = float(value)
            except ValueError:
                pass
    return values


def metric_sum(values, name):
    if not values:
        return None
    return sum(v for k, v in values.items() if k == name or k.startswith(name + "{"))


PROMETHEUS_YML = """global: {scrape_interval: 1s, evaluation_interval: 5s}
scrape_configs:
  - job_name: lb
    static_configs:
      - targets: [%s]
"""


def start_prometheus(hosts):
    d = os.path.join(WORK, "prometheus")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "prometheus.yml"), "w") as f:
        f.write(PROMETHEUS_YML % ", ".join('"%s:%d"' % (mgmt_ip(n), METRICS_PORT) for n in range(1, hosts + 1)))
    if not shutil.which("prometheus"):
        log("prometheus is not installed (apt-get install -y prometheus): the lab runs without it")
        return None
    spawn(["prometheus", "--config.file=" + os.path.join(d, "prometheus.yml"), "--storage.tsdb.path=" +
           os.path.join(d, "data"), "--web.listen-address=0.0.0.0:%d" % PROMETHEUS_PORT,
           "--storage.tsdb.retention.time=1d"], os.path.join(d, "prometheus.log"), "prometheus lbl")
    return "http://127.0.0.1:%d" % PROMETHEUS_PORT


def up(hosts, clients, prometheus=True, quiet=False):
    if os.geteuid() != 0:
        die("the lab makes network namespaces: run it as root")
    for tool in ("ip", "bridge", "ethtool", "tcpdump"):
        if not shutil.which(tool):
            die("%s is missing (Debian: apt-get install -y iproute2 ethtool tcpdump)" % tool)
    cleanup()
    os.makedirs(WORK)
    with open(os.path.join(WORK, "lab.json"), "w") as f:
        json.dump({"hosts": hosts, "clients": clients, "started": time.time()}, f)
    build_topology(hosts, clients)
    with open(os.path.join(WORK, "cluster.yaml"), "w") as f:
        f.write(cluster_yaml(hosts))
    for n in range(1, hosts + 1):
        os.makedirs(host_dir(n))
        write_lbctl(n)
        start_service(n)
    for k in range(1, clients + 1):
        os.makedirs(os.path.join(WORK, "c%d" % k))
    log("topology: switch %s (learning off, flooding), management %s; hosts %s; clients %s" % (
        SWITCH, MGMT, " ".join(ns_host(n) for n in range(1, hosts + 1)),
        " ".join(ns_client(k) for k in range(1, clients + 1))))
    began = time.time()
    for n in range(1, hosts + 1):
        start_host(n)
    members = list(range(1, hosts + 1))
    wait_for("every host serving in one converged view of %s" % members,
             lambda: all(serving(status(n), members) for n in members), timeout=180)
    log("%d hosts serving, converged, in %.1f s (lbd, dataplane, view); VIPs %s %s, cluster MAC %s" % (
        hosts, time.time() - began, VIP, VIP2, cluster_mac()))
    url = start_prometheus(hosts) if prometheus else None
    if url:
        log("prometheus: %s (scraping every host's lbd /metrics every second)" % url)
    return url


def down():
    found = cleanup(verbose=False)
    log("down: " + ("; ".join(found) if found else "nothing was running"))


def rules_owned(st):
    view = (st or {}).get("appliedView") or {}
    return {r["rule"]: r["ownedBuckets"] for r in view.get("rules", [])}


def print_status():
    shape = load_shape()
    if not shape:
        log("no lab is up (./lb lab up)")
        return 1
    for n in range(1, shape["hosts"] + 1):
        st = status(n)
        svc = read_json(os.path.join(host_dir(n), "service.json")) or {}
        owned = rules_owned(st)
        print("h%d  %-8s %-9s epoch %-3s buckets %s  served %s  open %s" % (
            n, (st or {}).get("state", "-"), (st or {}).get("mode", "-"), (st or {}).get("viewEpoch", "-"),
            " ".join("%s=%d" % (k.split(":")[-1], v) for k, v in owned.items()) or "-",
            svc.get("requests", "-"), svc.get("open", "-")))
    print("exec: ./lb lab exec h1 -- lbctl cluster query | down: ./lb lab down")
    return 0


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def exec_in(target, cmd):
    if not cmd:
        die("usage: ./lb lab exec HOST -- CMD...")
    if target.startswith("c"):
        ns = ns_client(int(target[1:]))
        env = dict(os.environ)
    else:
        n = int(target.lstrip("h"))
        ns = ns_host(n)
        env = dict(os.environ, PATH=os.path.join(host_dir(n), "bin") + ":" + os.environ.get("PATH", ""))
    if ns not in netns_list():
        die("no namespace %s (is the lab up? ./lb lab up)" % ns)
    os.execvpe("ip", ["ip", "netns", "exec", ns] + cmd, env)


def main(argv):
    parser = argparse.ArgumentParser(prog="./lb lab")
    sub = parser.add_subparsers(dest="command", required=True)
    p_up = sub.add_parser("up")
    p_up.add_argument("--hosts", type=int, default=3)
    p_up.add_argument("--clients", type=int, default=3)
    p_up.add_argument("--no-prometheus", action="store_true")
    sub.add_parser("down")
    sub.add_parser("status")
    p_exec = sub.add_parser("exec")
    p_exec.add_argument("target")
    p_exec.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command == "up":
        url = up(args.hosts, args.clients, prometheus=not args.no_prometheus)
        print_status()
        if url:
            print("prometheus: " + url)
    elif args.command == "down":
        down()
    elif args.command == "status":
        return print_status()
    elif args.command == "exec":
        cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
        exec_in(args.target, cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
