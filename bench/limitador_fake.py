#!/usr/bin/env python3
"""Limitador's counters API on loopback for bench/models.sh's GET /v1/usage part.

  bench/limitador_fake.py PORT USERID_FILE USERS

GET /counters/{namespace} answers what Limitador answers for a busy model route: the counters of USERS other
users on the free tier's two limits, plus the caller's (their userid is read from USERID_FILE on each request,
written by the script once it knows it). GET /limits/{namespace} answers the two limits. GET /stats answers
{"requests": N}, the counter requests so far. Loopback only.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

PORT, USERID_FILE, USERS = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
# default-tiers.yaml's free tier, named as PolicyRenderer.limitName writes them
LIMITS = (("free-requests-2m", 5, 120), ("free-tokens-1m", 100, 60))
USERID = 'descriptors[0]["auth.identity.userid"]'
lock = threading.Lock()
requests = 0


def limit(namespace, name, max_value, seconds):
    return {"namespace": namespace, "max_value": max_value, "seconds": seconds, "name": name,
            "conditions": ['descriptors[0]["auth.identity.tier"] == "free"'], "variables": [USERID]}


def counters(namespace):
    try:
        with open(USERID_FILE) as f:
            caller = f.read().strip()
    except OSError:
        caller = ""
    users = [f"user-{i}" for i in range(USERS)] + ([caller] if caller else [])
    return [{"limit": limit(namespace, name, max_value, seconds), "set_variables": {USERID: user},
             "remaining": max_value // 2, "expires_in_seconds": seconds // 2}
            for user in users for name, max_value, seconds in LIMITS]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        global requests
        parts = self.path.split("/", 2)
        if self.path == "/stats":
            with lock:
                body = {"requests": requests}
        elif len(parts) == 3 and parts[1] == "counters":
            with lock:
                requests += 1
            body = counters(unquote(parts[2]))
        elif len(parts) == 3 and parts[1] == "limits":
            body = [limit(unquote(parts[2]), *l) for l in LIMITS]
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
