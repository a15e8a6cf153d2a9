-- wrk script for bench/memory.sh: GET /v1/models, each request with another random bearer token, as a
-- flood of junk credentials does (every one is unknown to the review cache: a TokenReview or a refusal).
-- BENCH_OUT: file that done() writes {"requests":..,"statuses":{..}} to.
counts = {} -- global: done() reads each thread's through thread:get
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)

local function junk()
  local t = {}
  for i = 1, 40 do
    t[i] = string.format("%x", math.random(0, 15))
  end
  return table.concat(t)
end

function request()
  return wrk.format("GET", "/v1/models", {["Authorization"] = "Bearer " .. junk()})
end

function response(status)
  counts[status] = (counts[status] or 0) + 1
end

function setup(thread)
  threads = threads or {}
  threads[#threads + 1] = thread
end

function done(summary)
  local statuses = {}
  for _, thread in ipairs(threads) do
    -- each thread's counts live in its own Lua state: read them through thread:get
    local c = thread:get("counts")
    for k, v in pairs(c) do statuses[tostring(k)] = (statuses[tostring(k)] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(statuses) do parts[#parts + 1] = string.format('"%s":%d', k, v) end
  local out = io.open(assert(os.getenv("BENCH_OUT")), "w")
  out:write(string.format('{"requests":%d,"statuses":{%s}}\n', summary.requests, table.concat(parts, ",")))
  out:close()
end
