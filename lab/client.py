#!/usr/bin/env python3
"""A lab client: runs in a client namespace and drives three kinds of traffic at the VIP, recording what it saw in a
JSON file the demo reads (every 0.25 s):

- new connections on the load port (one request each, `Connection: close`) at a steady rate over several lanes:
  which host answered each, and every failure with its start time and kind;
- persistent connections on the load port (HTTP keep-alive, a request every 0.2 s): the host each is on, its
  requests, and every failure (reset, timeout, closed) with the host it was on; a failed one reconnects;
- sessions: each of this client's session IPs visits the extended-affinity port and the plain port about once a
  second (a new connection each), recording the host that answered and how often that host changed (a move).

Commands, one JSON object a line on stdin: {"cmd": "close", "host": N} closes (FIN) the persistent connections on
host N and opens no new ones there... (they reconnect wherever the cluster sends them); {"cmd": "rate", "rate": R}.
EOF on stdin ends it.
"""
import argparse
import http.client
import json
import os
import socket
import sys
import threading
import time

LOCK = threading.Lock()


def classify(ex):
    if isinstance(ex, ConnectionResetError):
        return "reset"
    if isinstance(ex, ConnectionRefusedError):
        return "refused"
    if isinstance(ex, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(ex, (http.client.RemoteDisconnected, BrokenPipeError, http.client.BadStatusLine)):
        return "closed"
    return type(ex).__name__


def host_of(body):
    for part in body.split():
        if part.startswith(b"host="):
            return int(part[5:])
    return 0


class Client:
    def __init__(self, args):
        self.args = args
        self.rate = args.rate
        self.stop = False
        self.new_ok = {}
        self.new_fail = 0
        self.new_failures = []  # [start time, kind]
        self.slow = []  # [start time, seconds, host]: answered, but slower than --slow
        self.latency = []  # recent new-connection request times, seconds
        self.persistent = {}
        self.persistent_events = []  # [time, connection id, host, kind]
        self.close_hosts = set()
        self.sessions = {ip: {str(p): {"host": 0, "moves": 0, "ok": 0, "fail": 0, "hosts": []}
                              for p in (args.sticky_port, args.plain_port)} for ip in args.session_ips}

    def request(self, source, port, conn=None, close=True):
        own = conn is None
        if own:
            conn = http.client.HTTPConnection(self.args.vip, port, timeout=self.args.timeout,
                                              source_address=(source, 0) if source else None)
        headers = {"Connection": "close"} if close else {}
        conn.request("GET", "/", headers=headers)
        response = conn.getresponse()
        body = response.read()
        if own:
            conn.close()
        return host_of(body)

    def lane(self, lanes):
        next_at = time.time()
        while not self.stop:
            interval = lanes / max(self.rate, 0.001)
            next_at = max(next_at + interval, time.time() - 1)
            start = time.time()
            try:
                host = self.request(None, self.args.load_port)
                took = time.time() - start
                with LOCK:
                    self.new_ok[str(host)] = self.new_ok.get(str(host), 0) + 1
                    self.latency.append(took)
                    if len(self.latency) > 2000:
                        del self.latency[:1000]
                    if took > self.args.slow:
                        # a SYN retransmitted (lost, or refused by a TIME_WAIT socket on a reused port), or a host
                        # starved for CPU
                        self.slow.append([start, took, host])
                        if len(self.slow) > 500:
                            del self.slow[:250]
            except Exception as ex:  # noqa: BLE001 - every failure is a measurement
                with LOCK:
                    self.new_fail += 1
                    self.new_failures.append([start, classify(ex)])
                    if len(self.new_failures) > 500:
                        del self.new_failures[:250]
            delay = next_at - time.time()
            if delay > 0:
                time.sleep(delay)

    def keep(self, ident):
        state = {"host": 0, "requests": 0, "state": "connecting", "since": time.time()}
        with LOCK:
            self.persistent[str(ident)] = state
        while not self.stop:
            conn = http.client.HTTPConnection(self.args.vip, self.args.load_port, timeout=self.args.timeout)
            host = 0
            try:
                while not self.stop:
                    host = self.request(None, self.args.load_port, conn=conn, close=False)
                    with LOCK:
                        if state["host"] != host:
                            state["since"] = time.time()
                        state.update(host=host, state="open")
                        state["requests"] += 1
                        if host in self.close_hosts:
                            state["state"] = "closed"
                            self.persistent_events.append([time.time(), ident, host, "closed-by-client"])
                            break
                    time.sleep(0.2)
                conn.close()
                with LOCK:
                    state["host"] = 0
                time.sleep(0.2)
            except Exception as ex:  # noqa: BLE001
                kind = classify(ex)
                with LOCK:
                    state.update(state=kind, host=0)
                    self.persistent_events.append([time.time(), ident, host, kind])
                conn.close()
                time.sleep(0.2)

    def visit(self):
        ports = (self.args.sticky_port, self.args.plain_port)
        while not self.stop:
            began = time.time()
            for ip in self.args.session_ips:
                for port in ports:
                    entry = self.sessions[ip][str(port)]
                    try:
                        host = self.request(ip, port)
                        with LOCK:
                            if entry["host"] and host != entry["host"]:
                                entry["moves"] += 1
                            if not entry["hosts"] or entry["hosts"][-1][1] != host:
                                entry["hosts"].append([time.time(), host])
                            entry["host"] = host
                            entry["ok"] += 1
                    except Exception:  # noqa: BLE001
                        with LOCK:
                            entry["fail"] += 1
            spare = self.args.visit_period - (time.time() - began)
            if spare > 0:
                time.sleep(spare)

    def report(self):
        while not self.stop:
            with LOCK:
                text = json.dumps({
                    "time": time.time(), "rate": self.rate, "newOk": dict(self.new_ok), "newFail": self.new_fail,
                    "newFailures": list(self.new_failures), "slow": list(self.slow), "latency": sorted(self.latency[-500:]),
                    "persistent": {k: dict(v) for k, v in self.persistent.items()},
                    "persistentEvents": list(self.persistent_events),
                    "sessions": self.sessions})
            tmp = self.args.stats + ".tmp"
            with open(tmp, "w") as f:
                f.write(text)
            os.replace(tmp, self.args.stats)
            time.sleep(0.25)

    def commands(self):
        for line in sys.stdin:
            try:
                cmd = json.loads(line)
            except ValueError:
                continue
            if cmd.get("cmd") == "close":
                with LOCK:
                    self.close_hosts.add(int(cmd["host"]))
            elif cmd.get("cmd") == "reopen":
                with LOCK:
                    self.close_hosts.clear()
            elif cmd.get("cmd") == "rate":
                self.rate = float(cmd["rate"])
        self.stop = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vip", required=True)
    parser.add_argument("--stats", required=True)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--lanes", type=int, default=4)
    parser.add_argument("--persistent", type=int, default=4)
    parser.add_argument("--session-ips", default="")
    parser.add_argument("--load-port", type=int, default=8000)
    parser.add_argument("--sticky-port", type=int, default=80)
    parser.add_argument("--plain-port", type=int, default=8080)
    parser.add_argument("--visit-period", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--slow", type=float, default=0.8)
    args = parser.parse_args()
    args.session_ips = [ip for ip in args.session_ips.split(",") if ip]
    client = Client(args)
    threads = [threading.Thread(target=client.lane, args=(args.lanes,), daemon=True) for _ in range(args.lanes)]
    threads += [threading.Thread(target=client.keep, args=(i,), daemon=True) for i in range(args.persistent)]
    if args.session_ips:
        threads.append(threading.Thread(target=client.visit, daemon=True))
    threads.append(threading.Thread(target=client.report, daemon=True))
    for t in threads:
        t.start()
    client.commands()
    time.sleep(0.3)


if __name__ == "__main__":
    main()
