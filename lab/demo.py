#!/usr/bin/env python3
"""./lb demo: a whole lb cluster balancing real HTTP traffic in the lab (lab/lab.py), through a failure, a join, a
drainstop and a VIP that leaves, every step measured against its pass criterion (docs/lab.md).

    ./lb demo [--hosts N] [--clients M] [--duration D] [--rate R] [--keep]
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab  # noqa: E402

TTY = sys.stdout.isatty()
LOCK = threading.Lock()
LOG = []
STEP = {"name": "starting"}
RESULTS = []
CLIENTS = []
CAPTURES = {}


def say(msg):
    stamp = time.strftime("%H:%M:%S")
    with LOCK:
        LOG.append("%s %s" % (stamp, msg))
        if not TTY:
            print("%s %s" % (stamp, msg), flush=True)


def parse_duration(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m)?", text)
    if not m:
        raise argparse.ArgumentTypeError("a duration: 20s, 2m, 1500ms")
    value = float(m.group(1))
    return value / 1000 if m.group(2) == "ms" else value * 60 if m.group(2) == "m" else value


# --- what the clients and the hosts report -----------------------------------------------------------------------

def client_stats():
    return [lab.read_json(os.path.join(lab.WORK, "c%d" % (k + 1), "stats.json")) or {} for k in range(len(CLIENTS))]


def new_ok_by_host():
    total = {}
    for st in client_stats():
        for host, count in st.get("newOk", {}).items():
            total[int(host)] = total.get(int(host), 0) + count
    return total


def new_failures_since(t0, t1=None):
    failures = []
    for st in client_stats():
        failures += [f for f in st.get("newFailures", []) if f[0] >= t0 and (t1 is None or f[0] < t1)]
    return sorted(failures)


def slow_since(t0, t1=None):
    slow = []
    for st in client_stats():
        slow += [x for x in st.get("slow", []) if x[0] >= t0 and (t1 is None or x[0] < t1)]
    return sorted(slow)


def persistent_events_since(t0, t1=None):
    events = []
    for st in client_stats():
        events += [e for e in st.get("persistentEvents", []) if e[0] >= t0 and (t1 is None or e[0] < t1)]
    return sorted(events)


def persistent_on():
    """Open persistent connections per host."""
    per = {}
    for st in client_stats():
        for conn in st.get("persistent", {}).values():
            if conn.get("state") == "open" and conn.get("host"):
                per[conn["host"]] = per.get(conn["host"], 0) + 1
    return per


def sessions():
    """{(client ip, port): entry} over every client."""
    out = {}
    for st in client_stats():
        for ip, ports in st.get("sessions", {}).items():
            for port, entry in ports.items():
                out[(ip, int(port))] = entry
    return out


def send(cmd):
    line = (json.dumps(cmd) + "\n").encode()
    for proc in CLIENTS:
        try:
            proc.stdin.write(line)
            proc.stdin.flush()
        except OSError:
            pass


# --- the live view -----------------------------------------------------------------------------------------------

class View:
    def __init__(self, hosts):
        self.hosts = hosts
        self.last = {}
        self.stop = False
        self.rows = []

    def sample(self):
        rows = []
        now = time.time()
        for n in range(1, self.hosts + 1):
            st = lab.status(n)
            svc = lab.read_json(os.path.join(lab.host_dir(n), "service.json")) or {}
            m = lab.metrics(n, timeout=0.3)
            owned = lab.rules_owned(st) if st and lab.pid_alive_host(n) else {}
            prev = self.last.get(n)
            reqs = svc.get("requests", 0)
            rate = (reqs - prev[1]) / (now - prev[0]) if prev and now > prev[0] else 0.0
            self.last[n] = (now, reqs)
            alive = lab.pid_alive_host(n)
            rows.append({
                "host": n,
                "state": (st or {}).get("state", "-") if alive else "down",
                "mode": (st or {}).get("mode", "-") if alive else "-",
                "epoch": (st or {}).get("viewEpoch", "-") if alive else "-",
                "buckets": "/".join(str(owned.get("all:%d-%d/tcp" % (p, p), "-")) for p in
                                    (lab.LB_PORT, lab.STICKY_PORT, lab.PLAIN_PORT)) if owned else "-",
                "conns": int(lab.metric_sum(m, "lb_table_connections_live")) if m else "-",
                "open": svc.get("open", "-"),
                "rps": rate,
                "sticky": int(lab.metric_sum(m, "lb_table_affinity_live")) if m else "-",
                "sessions": len(svc.get("sessions", {})),
            })
        self.rows = rows
        return rows

    def render(self):
        rows = self.sample()
        cs = client_stats()
        ok = sum(sum(st.get("newOk", {}).values()) for st in cs)
        fail = sum(st.get("newFail", 0) for st in cs)
        lat = sorted(x for st in cs for x in st.get("latency", []))
        p50 = lat[len(lat) // 2] * 1000 if lat else 0
        p99 = lat[int(len(lat) * 0.99)] * 1000 if lat else 0
        per = persistent_on()
        lines = ["\033[1mlb demo\033[0m: %d hosts, %d clients, VIP %s (cluster MAC %s)   step: \033[1m%s\033[0m" % (
            self.hosts, len(CLIENTS), lab.VIP, lab.cluster_mac(), STEP["name"]),
            "",
            "HOST  STATE     MODE       EPOCH  BUCKETS %d/%d/%d  CONNS  OPEN  REQ/S   STICKY  SESSIONS" % (
                lab.LB_PORT, lab.STICKY_PORT, lab.PLAIN_PORT)]
        for r in rows:
            lines.append("h%-4d %-9s %-10s %-6s %-19s %-6s %-5s %-7.1f %-7s %s" % (
                r["host"], r["state"], r["mode"], r["epoch"], r["buckets"], r["conns"], r["open"], r["rps"],
                r["sticky"], r["sessions"]))
        lines += ["",
                  "clients: %d new connections answered, %d failed; p50 %.1f ms p99 %.1f ms; persistent open: %s" % (
                      ok, fail, p50, p99, " ".join("h%d=%d" % (h, c) for h, c in sorted(per.items())) or "-"),
                  ""]
        with LOCK:
            tail = LOG[-18:]
        lines += tail
        out = "\033[H\033[2J" + "\n".join(lines) + "\n"
        sys.stdout.write(out)
        sys.stdout.flush()

    def table(self):
        rows = self.sample()
        out = ["HOST  STATE     MODE       BUCKETS %d/%d/%d  CONNS  STICKY" % (lab.LB_PORT, lab.STICKY_PORT,
                                                                         lab.PLAIN_PORT)]
        for r in rows:
            out.append("h%-4d %-9s %-10s %-19s %-6s %s" % (r["host"], r["state"], r["mode"], r["buckets"],
                                                           r["conns"], r["sticky"]))
        return out

    def run(self):
        while not self.stop:
            try:
                if TTY:
                    self.render()
                time.sleep(0.5)
            except Exception as ex:  # noqa: BLE001 - the view must never end the demo
                say("view: %r" % ex)
                time.sleep(1)


# --- the switch capture ------------------------------------------------------------------------------------------

def start_captures(hosts):
    """tcpdump on every host's switch port, frames coming from the host: ARP, and ND (ICMPv6 135/136)."""
    for n in range(1, hosts + 1):
        path = os.path.join(lab.WORK, "capture-h%d.txt" % n)
        dev = "%s-h%ds" % (lab.PREFIX, n)
        proc = lab.spawn(["tcpdump", "-i", dev, "-Q", "in", "-n", "-e", "-tt", "-l", "--immediate-mode",
                          "arp or (icmp6 and (ip6[40] == 135 or ip6[40] == 136))"],
                         path, "tcpdump h%d lbl" % n)
        CAPTURES[n] = (path, proc)
    time.sleep(1.0)


def vip_claims(n, since, vips):
    """ARP frames from host N's switch port after `since` that claim one of the VIPs (a reply from it, a request
    or announcement naming it as the sender), and the ND advertisements for it."""
    path = CAPTURES[n][0]
    claims = []
    try:
        with open(path) as f:
            for line in f:
                try:
                    t = float(line.split()[0])
                except (ValueError, IndexError):
                    continue
                if t < since:
                    continue
                for vip in vips:
                    if (" Reply %s is-at" % vip) in line or ("tell %s," % vip) in line or \
                            ("tell %s " % vip) in line or line.rstrip().endswith("tell %s" % vip) or \
                            ("Announcement %s" % vip) in line or ("advertisement, tgt is %s" % vip) in line:
                        claims.append(line.strip())
    except OSError:
        pass
    return claims


def kernel_claims(n, vip, target):
    """From host N's kernel (it still holds the VIP on its tap): 3 gratuitous ARPs claiming the VIP, sent on the tap,
    and pings from the VIP (the kernel ARPs for the target from it). Only the dataplane stands in between."""
    code = r"""
import socket, struct, fcntl, time, sys
vip, target = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("lbk0", 0))
mac = fcntl.ioctl(s.fileno(), 0x8927, struct.pack("256s", b"lbk0"))[18:24]
ip = socket.inet_aton(vip)
for op in (1, 2, 1):
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, mac, ip, b"\xff" * 6 if op == 2 else b"\0" * 6, ip)
    s.send(b"\xff" * 6 + mac + b"\x08\x06" + arp + b"\0" * 18)
    time.sleep(0.1)
"""
    ns = lab.ns_host(n)
    subprocess.run(["ip", "netns", "exec", ns, "ip", "neigh", "flush", "dev", "lbk0"], stderr=subprocess.DEVNULL)
    subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c", code, vip, target],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["ip", "netns", "exec", ns, "ping", "-c", "2", "-i", "0.2", "-W", "1", "-I", vip, target],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def clients_ask(vip):
    """Every client forgets the VIP's MAC and pings it: each serving host answers its ARP."""
    for k in range(1, len(CLIENTS) + 1):
        ns = lab.ns_client(k)
        subprocess.run(["ip", "netns", "exec", ns, "ip", "neigh", "flush", "to", vip], stderr=subprocess.DEVNULL)
        subprocess.run(["ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", vip], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


# --- steps -------------------------------------------------------------------------------------------------------

def result(name, passed, measured, criterion):
    RESULTS.append({"step": name, "passed": passed, "measured": measured, "criterion": criterion})
    say("%s %s: %s (%s)" % ("\033[32mPASS\033[0m" if passed else "\033[31mFAIL\033[0m", name, measured, criterion))


def step(name):
    STEP["name"] = name
    say("\033[1m== %s\033[0m" % name)


def kill_host(n):
    """kill -9 of host N's lbd and dataplane (a crash)."""
    st = lab.status(n) or {}
    pids = []
    with open(os.path.join(lab.host_dir(n), "lbd.pid")) as f:
        pids.append(int(f.read()))
    dp = (st.get("dataplane") or {}).get("pid")
    if dp:
        pids.append(int(dp))
    t = time.time()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return t, pids


def serving_members(members):
    return all(lab.serving(lab.status(n), members) for n in members)


def warm_up(hosts, hold=5.0, timeout=120.0):
    """Traffic runs while the JVMs compile; the steps start once the cluster's view has held for `hold` seconds."""
    step("0. warm-up: traffic runs until the view holds for %.0f s" % hold)
    began = time.time()
    last, since = None, time.time()
    while time.time() - began < timeout:
        epochs = tuple((lab.status(n) or {}).get("viewEpoch") for n in range(1, hosts + 1))
        ok = all(lab.serving(lab.status(n), list(range(1, hosts + 1))) for n in range(1, hosts + 1))
        if epochs != last or not ok:
            last, since = epochs, time.time()
        elif time.time() - since >= hold:
            say("the view held %.0f s (epochs %s), %.0f s after the traffic began" % (
                hold, "/".join(map(str, epochs)), time.time() - began))
            return
        time.sleep(0.2)
    say("the view did not hold %.0f s within %.0f s; going on" % (hold, timeout))


def load_spread(hosts, duration):
    step("1. load spreads across the %d hosts (%.0f s of new connections, affinity none)" % (hosts, duration))
    time.sleep(2)
    before, t0 = new_ok_by_host(), time.time()
    time.sleep(duration)
    after = new_ok_by_host()
    fails = new_failures_since(t0)
    slow = slow_since(t0)
    delta = {n: after.get(n, 0) - before.get(n, 0) for n in range(1, hosts + 1)}
    total = sum(delta.values())
    share = 1.0 / hosts
    band = 0.2
    shares = {n: (delta[n] / total if total else 0) for n in delta}
    ok = total > 0 and not fails and all(abs(s - share) <= band * share for s in shares.values())
    result("load spreads", ok, "%d connections in %.0f s: %s; %d failed" % (
        total, duration, ", ".join("h%d %d (%.1f%%)" % (n, delta[n], 100 * shares[n]) for n in sorted(delta)),
        len(fails)) + ("; %d answered after a SYN retransmission (> 0.8 s)" % len(slow) if slow else ""),
        "each host within ±%d%% of its share %.1f%%, 0 failures" % (band * 100, 100 * share))
    return {"total": total}


def kill_step(hosts, victim):
    members = [n for n in range(1, hosts + 1) if n != victim]
    step("2. host %d is killed (kill -9 of its lbd and dataplane)" % victim)
    time.sleep(2)
    on = persistent_on()
    others_open = sum(c for h, c in on.items() if h != victim)
    say("open persistent connections: %s" % " ".join("h%d=%d" % (h, c) for h, c in sorted(on.items())))
    t_kill, pids = kill_host(victim)
    say("kill -9 %s (h%d's lbd and dataplane)" % (" ".join(map(str, pids)), victim))
    lab.wait_for("hosts %s to serve without host %d" % (members, victim), lambda: serving_members(members),
                 timeout=30, period=0.02)
    acked = max(lab.status(n)["appliedView"]["ackedAtMs"] for n in members) / 1000.0
    takeover_ms = (acked - t_kill) * 1000
    owned = {n: lab.rules_owned(lab.status(n)).get("all:%d-%d/tcp" % (lab.LB_PORT, lab.LB_PORT), 0) for n in members}
    say("survivors acked a view without h%d %.0f ms after the kill; buckets on %d: %s" % (
        victim, takeover_ms, lab.LB_PORT, " ".join("h%d=%d" % kv for kv in owned.items())))
    time.sleep(5)
    failures = new_failures_since(t_kill)
    slow = [x for x in slow_since(t_kill - 1.0) if x[0] + x[1] > t_kill]
    starts = [f[0] for f in failures] + [x[0] for x in slow]
    last_fail = (max(starts) - t_kill) * 1000 if starts else 0
    events = persistent_events_since(t_kill - 0.5)
    other_errors = [e for e in events if e[2] != victim and e[3] != "closed-by-client"]
    victim_errors = [e for e in events if e[2] == victim]
    served_again = new_failures_since(t_kill + max(takeover_ms / 1000.0, 0) + 1.5)
    ok = (sum(owned.values()) == 60 and not other_errors and takeover_ms < 2000 and not served_again)
    result("kill -9 failover", ok,
           "buckets served again %.0f ms after the kill (survivors' views acked); the last new connection that "
           "waited for it (a SYN retransmitted after 1 s) started +%.0f ms (%d delayed, %d failed); other hosts' %d "
           "open connections: %d errors; the victim's: %d broken (%s)" % (
               takeover_ms, last_fail, len(slow), len(failures), others_open, len(other_errors), len(victim_errors),
               ", ".join(sorted({e[3] for e in victim_errors})) or "-"),
           "all 60 buckets owned by survivors within 2 s, 0 errors on the others' connections, "
           "no failure once served again")
    return {"takeover_ms": takeover_ms, "client_gap_ms": last_fail, "t_kill": t_kill}


def join_step(hosts, joiner):
    members = list(range(1, hosts + 1))
    step("3. host %d joins while clients hold sessions: port %d (extended affinity %s) vs %d (none)" % (
        joiner, lab.STICKY_PORT, lab.STICKY_TIMEOUT, lab.PLAIN_PORT))
    time.sleep(4)  # every session visits again on the survivors: their sticky entries are there
    before = {key: entry["host"] for key, entry in sessions().items()}
    moves_before = {key: entry["moves"] for key, entry in sessions().items()}
    t_join = time.time()
    lab.start_host(joiner)
    say("started h%d's lbd again (its store keeps the config); waiting for the cluster of %s" % (joiner, members))
    lab.wait_for("hosts %s to serve in one view" % members, lambda: serving_members(members), timeout=120,
                 period=0.05)
    t_served = time.time()
    say("h%d serving, every host converged, %.1f s after its start" % (joiner, t_served - t_join))
    time.sleep(5)
    after = sessions()
    sticky_moved, plain_moved, plain_to_joiner = [], [], []
    rows = []
    for ip in sorted({ip for ip, _ in before}, key=lambda s: tuple(int(x) for x in s.split("."))):
        s0, s1 = before.get((ip, lab.STICKY_PORT)), after[(ip, lab.STICKY_PORT)]["host"]
        p0, p1 = before.get((ip, lab.PLAIN_PORT)), after[(ip, lab.PLAIN_PORT)]["host"]
        sm = after[(ip, lab.STICKY_PORT)]["moves"] - moves_before.get((ip, lab.STICKY_PORT), 0)
        if sm or s0 != s1:
            sticky_moved.append(ip)
        if p0 != p1:
            plain_moved.append(ip)
            if p1 == joiner:
                plain_to_joiner.append(ip)
            rows.append("  %-12s port %d: h%s -> h%s %s   port %d: h%s -> h%s (moved)" % (
                ip, lab.STICKY_PORT, s0, s1, "(stayed)" if s0 == s1 else "(MOVED)", lab.PLAIN_PORT, p0, p1))
    say("clients whose bucket moved to h%d (side by side):" % joiner)
    for row in rows:
        say(row)
    events = [e for e in persistent_events_since(t_join) if e[3] != "closed-by-client"]
    fails = new_failures_since(t_join)
    ok = not sticky_moved and plain_moved and len(plain_to_joiner) == len(plain_moved) and not events and not fails
    result("join: extended affinity keeps the cart", ok,
           "of %d session clients, port %d (extended affinity): %d moved; port %d (none): %d moved, all to h%d: %s; "
           "open connections across the join: %d errors; new connections failed: %d" % (
               len({ip for ip, _ in before}), lab.STICKY_PORT, len(sticky_moved), lab.PLAIN_PORT, len(plain_moved),
               joiner, "yes" if len(plain_to_joiner) == len(plain_moved) else "no", len(events), len(fails)),
           "0 moves with extended affinity, >= 1 move without (to the joiner), 0 errors on open connections, "
           "0 failed new connections")
    return {}


def drain_step(hosts, drained):
    step("4. drainstop of host %d: new connections elsewhere, its open ones finish, it stops when drained" % drained)
    time.sleep(2)
    on = persistent_on().get(drained, 0)
    say("h%d holds %d open persistent connections; ./lb ctl host drainstop %d --timeout 120s" % (drained, on, drained))
    t_drain = time.time()
    out = subprocess.run(["ip", "netns", "exec", lab.ns_host(1), os.path.join(lab.host_dir(1), "bin", "lbctl"),
                          "host", "drainstop", str(drained), "--timeout", "120s"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    say("lbctl (exit %d): %s" % (out.returncode, out.stdout.strip().replace("\n", " | ")))
    time.sleep(1.0)
    base = new_ok_by_host().get(drained, 0)
    t_base = time.time()
    time.sleep(4)  # the open connections keep working on the draining host
    during = [e for e in persistent_events_since(t_drain) if e[2] == drained]
    still = persistent_on().get(drained, 0)
    say("after 4 s of drain: h%d still serves %d open connections (%d errors); closing them (FIN) from the clients"
        % (drained, still, len(during)))
    t_close = time.time()
    send({"cmd": "close", "host": drained})
    lab.wait_for("host %d to stop" % drained, lambda: (lab.status(drained) or {}).get("state") == "stopped",
                 timeout=150, period=0.1)
    t_stopped = time.time()
    new_on_drained = new_ok_by_host().get(drained, 0) - base
    with open(os.path.join(lab.host_dir(drained), "lbd.log"), errors="replace") as f:
        drained_log = [line.strip() for line in f if "drainstop" in line]
    by_drain = any("tracks no connection" in line for line in drained_log)
    say("h%d stopped %.1f s after the drain began, %.1f s after its last connections closed (%s)" % (
        drained, t_stopped - t_drain, t_stopped - t_close,
        "drained: its dataplane tracked no connection" if by_drain else "at the timeout"))
    send({"cmd": "reopen"})
    elsewhere = [e for e in persistent_events_since(t_drain, t_stopped) if e[2] != drained and
                 e[3] != "closed-by-client"]
    failed = new_failures_since(t_drain, t_stopped)
    ok = out.returncode == 0 and new_on_drained == 0 and not during and by_drain and still == on and \
        not elsewhere and not failed
    result("drainstop", ok,
           "new connections on h%d after the drain began (+1 s): %d (since %s); its %d open connections kept "
           "working (%d errors) until the clients closed them; stopped %.1f s after they closed (drained); "
           "meanwhile elsewhere: %d new connections failed, %d errors on open connections" % (
               drained, new_on_drained, time.strftime("%T", time.localtime(t_base)), still, len(during),
               t_stopped - t_close, len(failed), len(elsewhere)),
           "0 new connections on the draining host, 0 errors on its open ones, it stops by itself when drained "
           "(tracked connections include TCP's 60 s close timeout, as NLB), 0 failures elsewhere")
    return {"drain_s": t_stopped - t_close, "t_stopped": t_stopped}


def vip_step(hosts, stopped, t_stopped, killed, t_kill, t_rejoin):
    step("5. the VIP leaves a host: the switch capture shows it never claims it again")
    vips = [lab.VIP, lab.VIP2]
    # (a) a stopped host: its kernel still holds both VIPs on its tap and is made to claim them.
    say("h%d is stopped; its kernel still holds %s: it sends gratuitous ARPs for them and pings from them" % (
        stopped, " ".join(vips)))
    for vip in vips:
        kernel_claims(stopped, vip, lab.client_ip(1))
    clients_ask(lab.VIP)
    clients_ask(lab.VIP2)
    time.sleep(1.5)
    stale = vip_claims(stopped, t_stopped + 0.5, vips)
    others = {n: len(vip_claims(n, t_stopped + 0.5, vips)) for n in range(1, hosts + 1) if n != stopped}
    killed_claims = vip_claims(killed, t_kill + 0.05, vips)
    killed_claims = [c for c in killed_claims if float(c.split()[0]) < t_rejoin]
    for line in stale[:5]:
        say("  stale: " + line)
    ok_a = not stale and all(c > 0 for c in others.values()) and not killed_claims
    result("VIP leaves a stopped host", ok_a,
           "ARP/ND frames claiming %s from h%d since it stopped: %d; from the killed h%d while it was down: %d; "
           "the serving hosts answered meanwhile: %s" % (
               "/".join(vips), stopped, len(stale), killed, len(killed_claims),
               ", ".join("h%d %d frames" % kv for kv in sorted(others.items()))),
           "0 claims from the host that lost the VIP, the others' answers captured")
    # (b) the VIP removed from the cluster's config: no host claims it afterwards.
    probe = subprocess.run([os.path.join(lab.ROOT, "lb"), "ctl", "vip", "-h"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    if probe.returncode != 0 or "remove" not in probe.stdout or "Unmatched" in probe.stdout:
        say("SKIPPED: the VIP leaving the whole cluster (./lb ctl vip remove %s): lbctl has no vip command yet "
            "(./lb ctl vip -h exit %d)" % (lab.VIP2, probe.returncode))
        return {"stale": len(stale) + len(killed_claims), "vip_remove": "skipped"}
    t_remove = time.time()
    out = subprocess.run(["ip", "netns", "exec", lab.ns_host(1), os.path.join(lab.host_dir(1), "bin", "lbctl"),
                          "vip", "remove", lab.VIP2], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    say("./lb ctl vip remove %s (exit %d): %s" % (lab.VIP2, out.returncode, out.stdout.strip()))
    time.sleep(2)
    t_after = time.time()
    for n in range(1, hosts + 1):
        kernel_claims(n, lab.VIP2, lab.client_ip(1))
    clients_ask(lab.VIP2)
    time.sleep(1.5)
    removed = {n: vip_claims(n, t_after, [lab.VIP2]) for n in range(1, hosts + 1)}
    still = {n: len(vip_claims(n, t_after, [lab.VIP])) for n in range(1, hosts + 1)}
    ok_b = out.returncode == 0 and not any(removed.values())
    result("VIP removed from the cluster", ok_b,
           "claims of %s from any host from 2 s after the removal: %s" % (
               lab.VIP2, ", ".join("h%d %d" % (n, len(c)) for n, c in sorted(removed.items()))),
           "0 claims (the hosts still answer %s: %s)" % (lab.VIP, still))
    del t_remove
    return {"stale": len(stale) + len(killed_claims) + sum(len(c) for c in removed.values())}


# --- main --------------------------------------------------------------------------------------------------------

def start_clients(clients, rate, persistent):
    for k in range(1, clients + 1):
        d = os.path.join(lab.WORK, "c%d" % k)
        cmd = ["ip", "netns", "exec", lab.ns_client(k), sys.executable, os.path.join(lab.LAB, "client.py"),
               "--vip", lab.VIP, "--stats", os.path.join(d, "stats.json"), "--rate", str(rate),
               "--persistent", str(persistent), "--session-ips", ",".join(lab.session_ips(k)),
               "--load-port", str(lab.LB_PORT), "--sticky-port", str(lab.STICKY_PORT),
               "--plain-port", str(lab.PLAIN_PORT)]
        proc = lab.spawn(cmd, os.path.join(d, "client.log"), "client c%d lbl" % k, stdin=subprocess.PIPE)
        CLIENTS.append(proc)


def prometheus_line(url):
    """What the lab's Prometheus holds about the hosts: targets up, accepted frames over the run per host."""
    import urllib.parse
    import urllib.request

    def query(q):
        with urllib.request.urlopen(url + "/api/v1/query?" + urllib.parse.urlencode({"query": q}), timeout=3) as r:
            return json.load(r)["data"]["result"]
    try:
        up = query('up{job="lb"}')
        accepted = query('sum by (instance) (increase(lb_worker_ingress_frames_total{verdict="accept"}[10m]))')
    except (OSError, ValueError, KeyError) as ex:
        return "  prometheus (%s): not answering (%s)" % (url, ex)
    return "  prometheus (%s): %d of %d hosts up now; frames accepted over the last 10 min: %s" % (
        url, sum(1 for r in up if r["value"][1] == "1"), len(up),
        ", ".join("%s %.0f" % (r["metric"]["instance"], float(r["value"][1])) for r in sorted(
            accepted, key=lambda r: r["metric"]["instance"])))


def summary(hosts, figures, began):
    served = sum((lab.read_json(os.path.join(lab.host_dir(n), "service.json")) or {}).get("requests", 0)
                 for n in range(1, hosts + 1))
    cs = client_stats()
    fails = sum(st.get("newFail", 0) for st in cs)
    errors = [e for st in cs for e in st.get("persistentEvents", []) if e[3] != "closed-by-client"]
    lines = ["", "\033[1mlb demo: summary\033[0m (%.0f s)" % (time.time() - began)]
    for r in RESULTS:
        lines.append("  %s  %-40s %s" % ("PASS" if r["passed"] else "FAIL", r["step"], r["measured"]))
    lines += ["",
              "  requests served: %d (by the hosts' services)" % served,
              "  new connections failed: %d (all in the kill -9 gap: %s)" % (
                  fails, "yes" if fails == len(new_failures_since(figures.get("t_kill", 0),
                                                                 figures.get("t_kill", 0) + 5)) else "no"),
              "  open connections broken: %d, all on the killed host: %s" % (
                  len(errors), "yes" if all(e[2] == figures.get("victim") for e in errors) else "no"),
              "  failover (kill -9 to buckets served again): %.0f ms; clients' gap %.0f ms" % (
                  figures.get("takeover_ms", -1), figures.get("client_gap_ms", -1)),
              "  graceful stop (drainstop, last connection closed to stopped): %.1f s" % figures.get("drain_s", -1),
              "  stale ARP/ND frames: %d" % figures.get("stale", -1)]
    if figures.get("prometheus"):
        lines.append(prometheus_line(figures["prometheus"]))
    passed = RESULTS and all(r["passed"] for r in RESULTS)
    lines.append("  \033[1m%s\033[0m" % ("every step held" if passed else "FAILED: %s" % ", ".join(
        r["step"] for r in RESULTS if not r["passed"])))
    return passed, lines


def main():
    parser = argparse.ArgumentParser(prog="./lb demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=3, help="cluster hosts (2-8; default 3)")
    parser.add_argument("--clients", type=int, default=3, help="client namespaces (default 3)")
    parser.add_argument("--duration", type=parse_duration, default=15.0,
                        help="how long the load-spread step measures (20s, 2m; default 15s)")
    parser.add_argument("--rate", type=float, default=15, help="new connections per second per client (15)")
    parser.add_argument("--persistent", type=int, default=4, help="keep-alive connections per client (4)")
    parser.add_argument("--keep", action="store_true", help="leave the lab running at the end")
    parser.add_argument("--no-prometheus", action="store_true", help="do not start Prometheus")
    args = parser.parse_args()
    if not 2 <= args.hosts <= 8:
        parser.error("--hosts: 2 to 8")
    if os.geteuid() != 0:
        lab.die("the demo makes network namespaces: run it as root")
    began = time.time()
    view = None
    passed = False
    interrupted = []

    def on_signal(signum, _frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        url = lab.up(args.hosts, args.clients, prometheus=not args.no_prometheus)
        start_captures(args.hosts)
        start_clients(args.clients, args.rate, args.persistent)
        view = View(args.hosts)
        threading.Thread(target=view.run, daemon=True).start()
        say("lab up: %d hosts, %d clients (%s new connections/s each, %d keep-alive, %d session IPs)%s" % (
            args.hosts, args.clients, args.rate, args.persistent, lab.SESSION_IPS,
            "; prometheus " + url if url else ""))
        warm_up(args.hosts)
        victim, drained = args.hosts, args.hosts - 1
        figures = {"victim": victim, "prometheus": url}
        figures.update(load_spread(args.hosts, args.duration))
        figures.update(kill_step(args.hosts, victim))
        t_rejoin = time.time()
        figures.update(join_step(args.hosts, victim))
        figures.update(drain_step(args.hosts, drained))
        figures.update(vip_step(args.hosts, drained, figures["t_stopped"], victim, figures["t_kill"], t_rejoin))
        STEP["name"] = "done"
        time.sleep(0.6)
        if view:
            view.stop = True
            time.sleep(0.6)
            if TTY:
                view.render()
        passed, lines = summary(args.hosts, figures, began)
        print("\n".join(view.table() + lines), flush=True)
        with open(os.path.join(lab.WORK, "summary.json"), "w") as f:
            json.dump({"results": RESULTS, "figures": figures}, f, indent=1)
    except KeyboardInterrupt:
        interrupted.append(signal.SIGINT)
        print("\nlab: interrupted", flush=True)
    except SystemExit as ex:
        if view:
            view.stop = True
        print("\n".join(LOG[-10:]) if TTY else "", flush=True)
        print("lab: the demo stopped: %s" % ex, flush=True)
    finally:
        if view:
            view.stop = True
        for proc in CLIENTS:
            try:
                proc.stdin.close()
            except OSError:
                pass
        if args.keep and not interrupted:
            print("\nthe lab keeps running: ./lb lab status; ./lb lab exec h1 -- lbctl cluster query; "
                  "./lb lab exec c1 -- curl http://%s:%d/; logs in %s; ./lb lab down" % (
                      lab.VIP, lab.LB_PORT, lab.WORK), flush=True)
            if not args.no_prometheus and shutil.which("prometheus"):
                print("prometheus: http://127.0.0.1:%d (e.g. sum by (instance) "
                      "(rate(lb_worker_ingress_frames_total{verdict=\"accept\"}[30s])))" % lab.PROMETHEUS_PORT)
        else:
            keep_logs()
            lab.cleanup(verbose=False)
            print("lab: down, nothing left behind (logs kept in /tmp/lbl-last)", flush=True)
    return 130 if interrupted else 0 if passed else 1


def keep_logs():
    dest = "/tmp/lbl-last"
    shutil.rmtree(dest, ignore_errors=True)
    try:
        shutil.copytree(lab.WORK, dest, ignore=shutil.ignore_patterns("state", "data", "*.tmp"))
        for n in range(1, 9):
            log_file = os.path.join(lab.run_dir(n), "dataplane.log")
            if os.path.isfile(log_file):
                shutil.copy(log_file, os.path.join(dest, "h%d" % n, "dataplane.log"))
    except OSError:
        pass


if __name__ == "__main__":
    sys.exit(main())
