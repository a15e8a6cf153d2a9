#!/usr/bin/env python3
"""Load for bench/memory.sh that wrk cannot make (docs/performance.md, "Memory").

  mixed APP TOKENS SECONDS RATE  cycles of a user's calls at RATE calls/s in all: mint a token, create an
                                 API key, list keys, delete that key, list models (users' bearer tokens, one
                                 a line, in TOKENS); prints a JSON count of answers by status
  idle PORT COUNT SECONDS        opens COUNT connections, sends one keep-alive request on each, then holds
                                 them idle for SECONDS; prints how many stayed open to the end

Standard library only: a fresh machine has python3 (.ci/run installs it).
"""
import http.client
import json
import socket
import sys
import time
import uuid
from collections import Counter


def call(conn, method, path, token, body=None):
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    return response.status, payload


def mixed(app, tokens_file, seconds, rate):
    host, port = app.removeprefix("http://").split(":")
    tokens = [line.strip() for line in open(tokens_file) if line.strip()]
    statuses = Counter()
    interval = 1.0 / rate
    end = time.monotonic() + seconds
    conn = http.client.HTTPConnection(host, int(port), timeout=15)
    i = 0
    next_at = time.monotonic()

    def paced(method, path, token, body=None):
        nonlocal conn, next_at
        now = time.monotonic()
        if next_at > now:
            time.sleep(next_at - now)
        next_at += interval
        try:
            status, payload = call(conn, method, path, token, body)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(host, int(port), timeout=15)
            statuses["error"] += 1
            return None, b""
        statuses[str(status)] += 1
        return status, payload

    while time.monotonic() < end:
        token = tokens[i % len(tokens)]
        i += 1
        paced("POST", "/v1/tokens", token, {"expiration": "1h"})
        status, payload = paced("POST", "/v1/api-keys", token, {"name": "bench-" + uuid.uuid4().hex[:12]})
        paced("GET", "/v1/api-keys", token)
        if status == 201:
            paced("DELETE", "/v1/api-keys/" + json.loads(payload)["id"], token)
        paced("GET", "/v1/models", token)
    print(json.dumps(dict(statuses), sort_keys=True))


def idle(port, count, seconds):
    sockets = []
    request = b"GET /q/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(request)
        s.recv(4096)  # the answer: the connection is now an idle keep-alive connection
        sockets.append(s)
    time.sleep(seconds)
    still_open = 0
    for s in sockets:
        s.setblocking(False)
        try:
            still_open += 0 if s.recv(1) == b"" else 1  # b"": the server closed it
        except BlockingIOError:
            still_open += 1
        s.close()
    print(json.dumps({"opened": count, "open_at_end": still_open}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "mixed":
        mixed(sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]))
    elif mode == "idle":
        idle(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    else:
        sys.exit("usage: memory_load.py mixed APP TOKENS SECONDS RATE | idle PORT COUNT SECONDS")
