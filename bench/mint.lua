-- wrk script for bench/mint.sh (docs/performance.md, "Token mint").
--
-- Sends requests (BENCH_METHOD, default POST; bench/models.sh sends GET) read from a file, one a line: path<TAB>bearer token or "-"<TAB>content type<TAB>body.
-- The requests are pre-formatted in init() and cycled, each wrk thread starting at another line.
-- Used for both targets: POST /v1/tokens on maas-api with the users' own tokens, and the same
-- TokenRequests sent straight to the API server stub.
--
-- Environment:
--   BENCH_REQUESTS  the request file (required)
--   BENCH_STATUS    the status every answer must have (default 201); others are counted as bad_status
--   BENCH_OUT       file that done() writes one JSON object to (requests, rps, latency percentiles, ...)
--   BENCH_LABEL     name put into that JSON

local requests_pool = {}
local cursor = 0
local expected = tonumber(os.getenv("BENCH_STATUS") or "201")
local method = os.getenv("BENCH_METHOD") or "POST"
bad = 0               -- answers with another status than BENCH_STATUS
first_bad = 0
thread_index = 1

function setup(thread)
  threads = threads or {}
  threads[#threads + 1] = thread
  thread:set("thread_index", #threads)
end

function init(args)
  local file = assert(os.getenv("BENCH_REQUESTS"), "BENCH_REQUESTS is not set")
  for line in io.lines(file) do
    local path, bearer, ctype, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    assert(path, "bad request line: " .. line)
    local headers = {}
    if ctype ~= "-" then headers["Content-Type"] = ctype end
    if bearer ~= "-" then headers["Authorization"] = "Bearer " .. bearer end
    requests_pool[#requests_pool + 1] = wrk.format(method, path, headers, body ~= "" and body or nil)
  end
  assert(#requests_pool > 0, "no requests in " .. file)
  cursor = thread_index - 1
end

function request()
  cursor = cursor % #requests_pool + 1
  return requests_pool[cursor]
end

function response(status, headers, body)
  if status ~= expected then
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local bad_total, first = 0, 0
  for _, t in ipairs(threads or {}) do
    bad_total = bad_total + (t:get("bad") or 0)
    if first == 0 then first = t:get("first_bad") or 0 end
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  local out = string.format(
    '{"label": "%s", "requests": %d, "duration_s": %.3f, "rps": %.1f, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"bad_status": %d, "first_bad_status": %d, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "p999": %d, "max": %d, "mean": %.1f}}\n',
    os.getenv("BENCH_LABEL") or "run", summary.requests, secs, summary.requests / secs, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, bad_total, first,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean)
  local path = os.getenv("BENCH_OUT")
  if path then
    local f = assert(io.open(path, "w"))
    f:write(out)
    f:close()
  else
    io.write(out)
  end
end
