-- wrk script for `make bench` (docs/performance.md).
--
-- Requests: POST bodies {"groups": [...]} of 3 to 10 groups, the shape Authorino's callout sends for
-- an OpenShift user. The set is fixed (seeded), pre-formatted in init() and cycled, so every run and
-- every target (lookup, constant baseline, nginx) sees exactly the same bytes. Resolved tiers: about
-- half free, a third premium, the rest enterprise (including tier service-account tokens).
--
-- Environment:
--   BENCH_RATE  requests/s for the whole run, split evenly over wrk's threads; 0 or unset = as fast as
--               possible (closed loop, for throughput). With a rate, delay() paces every connection
--               against a fixed per-thread schedule (see "Pacing" below).
--   BENCH_OUT   file that done() writes one JSON object to (requests, rps, latency percentiles, ...).
--   BENCH_LABEL name put into that JSON.
--   BENCH_DUMP_BODIES  file to write the bodies to, one a line (thread 1, at start).

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local fillers = {
  "system:authenticated:oauth", "openshift-users", "dev-team-alpha", "dev-team-beta", "ml-platform",
  "data-science", "team-nlp", "team-vision", "cluster-readers", "gpu-quota-a100", "ops-oncall",
  "ldap-engineering", "ldap-emea", "project-chatbot", "project-rag-search", "finance-analysts",
}

-- build one body: always system:authenticated (free), plus the tier groups, plus fillers up to n groups
local function body(n, tier_groups)
  local groups = { "system:authenticated" }
  for _, g in ipairs(tier_groups) do groups[#groups + 1] = g end
  local used = {}
  while #groups < n do
    local f = fillers[math.random(#fillers)]
    if not used[f] then
      used[f] = true
      table.insert(groups, math.random(#groups + 1), f)
    end
  end
  local quoted = {}
  for i, g in ipairs(groups) do quoted[i] = '"' .. g .. '"' end
  return '{"groups": [' .. table.concat(quoted, ", ") .. ']}'
end

local tier_mixes = {
  {}, {}, {}, {}, {},                                       -- free (5 of 10)
  { "premium-users" }, { "premium-users" },                -- premium (3 of 10)
  { "system:serviceaccounts", "system:serviceaccounts:maas-default-gateway-tier-premium" },
  { "enterprise-users" },                                   -- enterprise (2 of 10)
  { "admin-group", "premium-users" },
}

local requests_pool = {}
local cursor = 0

rate = tonumber(os.getenv("BENCH_RATE") or "0") or 0
late = 0          -- paced sends that left more than 1 ms after their slot (see "Pacing")
max_late_ms = 0
thread_count = 1
thread_index = 1

function setup(thread)
  threads = threads or {}
  threads[#threads + 1] = thread
  thread:set("thread_index", #threads)
end

function init(args)
  math.randomseed(42)           -- the same bodies in every thread and every run
  local headers = { ["Content-Type"] = "application/json" }
  for i = 1, 200 do
    local mix = tier_mixes[(i - 1) % #tier_mixes + 1]
    local n = 3 + math.random(0, 7)                          -- 3..10 groups
    if n < #mix + 1 then n = #mix + 1 end
    requests_pool[i] = wrk.format("POST", nil, headers, body(n, mix))
  end
  cursor = thread_index * 37       -- threads start at different places in the same cycle
  local dump = os.getenv("BENCH_DUMP_BODIES")
  if dump and thread_index == 1 then  -- one body a line, for run.sh's checks and size figures
    local f = assert(io.open(dump, "w"))
    for _, r in ipairs(requests_pool) do f:write((r:match("\r\n\r\n(.*)$")), "\n") end
    f:close()
  end
end

function request()
  cursor = cursor % #requests_pool + 1
  return requests_pool[cursor]
end

-- Pacing: each thread owns a schedule of send slots, 1/(rate/threads) apart. Whenever a connection
-- has its answer, delay() gives it the next free slot and wrk sends when the slot comes (timer
-- granularity 1 ms, so requests leave in small bursts every millisecond). With enough idle
-- connections the send times follow the schedule whatever the server does (open loop). When every
-- connection is busy the slots fall behind, the request leaves late and wrk times it from when it
-- actually left: that is coordinated omission, and `late` counts how often it happened.
local next_slot = nil
local interval = nil
if rate > 0 then
  function delay()
    local t = now_ms()
    if next_slot == nil then
      interval = 1000 / (rate / thread_count)
      next_slot = t
    end
    local slot = next_slot
    next_slot = next_slot + interval
    local wait = slot - t
    if wait < -1 then
      late = late + 1
      if -wait > max_late_ms then max_late_ms = -wait end
    end
    if wait <= 0 then return 0 end
    return math.floor(wait + 0.5)
  end
end

function done(summary, latency, requests)
  local late_total, max_late = 0, 0
  for _, t in ipairs(threads or {}) do
    late_total = late_total + (t:get("late") or 0)
    max_late = math.max(max_late, t:get("max_late_ms") or 0)
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  local out = string.format(
    '{"label": "%s", "requests": %d, "duration_s": %.3f, "rps": %.1f, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "p999": %d, "max": %d, "mean": %.1f}, ' ..
    '"target_rate": %d, "late_sends": %d, "max_late_ms": %.1f}\n',
    os.getenv("BENCH_LABEL") or "run", summary.requests, secs, summary.requests / secs, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, rate, late_total, max_late)
  local path = os.getenv("BENCH_OUT")
  if path then
    local f = assert(io.open(path, "w"))
    f:write(out)
    f:close()
  else
    io.write(out)
  end
end
