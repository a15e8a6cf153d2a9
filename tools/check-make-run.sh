#!/usr/bin/env bash
# The README's first command, as a newcomer runs it: `make run` (Quarkus dev mode) from this clone, on a
# free loopback port, must answer a tier lookup. `make test` runs this; dev mode is what nothing else starts.
set -euo pipefail
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=target/make-run.log
mkdir -p target
# its own session, so that stopping it stops Maven and the dev-mode JVM it forks
setsid make run PORT="$port" > "$log" 2>&1 < /dev/null &
pid=$!
trap 'kill -- -$pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
answer=""
for _ in $(seq 1 600); do # dev mode compiles first: up to 5 minutes on a busy 2-core machine
  answer=$(curl -s -m 2 "http://127.0.0.1:$port/v1/tiers/lookup" -H 'Content-Type: application/json' \
    -d '{"groups":["system:authenticated","premium-users"]}') && [ -n "$answer" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "make run exited; the end of $log:" >&2; tail -30 "$log" >&2; exit 1; }
  sleep 0.5
done
expected='{"tier":"premium","displayName":"Premium Tier"}'
if [ "$answer" != "$expected" ]; then
  echo "make run: the lookup answered '$answer', expected '$expected'; the end of $log:" >&2
  tail -30 "$log" >&2
  exit 1
fi
# A newcomer's first start has nothing to warn about: every WARN or ERROR line of the service is a fault here.
if grep -E '^[0-9-]+T[0-9:.]+[^ ]* +(WARN|ERROR) ' "$log" >&2; then
  echo "make run: the service logged the WARN or ERROR lines above ($log)" >&2
  exit 1
fi
echo "ok: make run answers a tier lookup on port $port: $answer"
