-- wrk script of the benches: the paths come from WRK_PATHS (one a line); each request takes one at random.
-- At the end one line: RESULT requests duration_us p50_ms p95_ms p99_ms errors
local paths = {}
for p in string.gmatch(os.getenv("WRK_PATHS") or "/", "[^\n]+") do paths[#paths + 1] = p end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %d\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
