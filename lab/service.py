#!/usr/bin/env python3
"""The service each lab host's kernel runs on the VIPs: a small HTTP/1.1 server (keep-alive) that says which host
answered and keeps a session per client IP (a cookie-less shopping cart: the count of requests this host served
that client), so affinity is visible.

    python3 service.py --host-id N --ports 8000,80,8080 --stats FILE

Every answer is one line: `host=N port=P client=IP session=K conn=C` (K: this client's requests on this host so far,
C: requests on this TCP connection so far). Every 0.5 s it rewrites FILE (JSON): requests served in total and per
port, open connections, and the clients with a session here.
"""
import argparse
import json
import os
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATS = {"requests": 0, "perPort": {}, "open": 0, "opened": 0, "sessions": {}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lb-lab"

    def setup(self):
        super().setup()
        self.served = 0
        with LOCK:
            STATS["open"] += 1
            STATS["opened"] += 1

    def finish(self):
        try:
            super().finish()
        finally:
            with LOCK:
                STATS["open"] -= 1

    def do_GET(self):
        client = self.client_address[0]
        port = self.server.server_address[1]
        self.served += 1
        with LOCK:
            STATS["requests"] += 1
            STATS["perPort"][str(port)] = STATS["perPort"].get(str(port), 0) + 1
            session = STATS["sessions"].get(client, 0) + 1
            STATS["sessions"][client] = session
        body = ("host=%d port=%d client=%s session=%d conn=%d\n" %
                (self.server.host_id, port, client, session, self.served)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


def write_stats(path):
    while True:
        with LOCK:
            text = json.dumps({"time": time.time(), "requests": STATS["requests"], "perPort": dict(STATS["perPort"]),
                               "open": STATS["open"], "opened": STATS["opened"],
                               "sessions": dict(STATS["sessions"])})
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
        time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host-id", type=int, required=True)
    parser.add_argument("--ports", default="8000,80,8080")
    parser.add_argument("--stats", required=True)
    args = parser.parse_args()
    for port in [int(p) for p in args.ports.split(",")]:
        server = Server(("0.0.0.0", port), Handler)
        server.host_id = args.host_id
        threading.Thread(target=server.serve_forever, daemon=True).start()
    write_stats(args.stats)


if __name__ == "__main__":
    main()
