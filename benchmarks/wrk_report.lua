-- The HTTP benchmark's wrk script: the headers of each mode, and one JSON line.
--
--   wrk ... -s benchmarks/wrk_report.lua URL -- MODE [ETAG]
--
-- MODE "plain": the same request every time (the baseline, and cached pages).
-- MODE "cold" TOKEN: a different Accept header on every request, so every
--   request misses the server-side cache (its key includes Accept), and renders;
--   TOKEN, new for every run, keeps one run from asking what an earlier one
--   asked (and finding it cached).
-- MODE "conditional": If-None-Match: ETAG, which the server answers 304.
-- At the end it prints one line, "wrk-json {...}", read by benchmarks/http_results.py.

local mode, fixed, token = "plain", nil, ""
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  mode = args[1] or "plain"
  if mode == "conditional" then
    fixed = wrk.format(nil, nil, { ["If-None-Match"] = args[2] })
  elseif mode == "cold" then
    token = args[2] or ""
  else
    fixed = wrk.format(nil, nil, {})
  end
end

function request()
  if fixed then
    return fixed
  end
  counter = counter + 1
  return wrk.format(nil, nil, { ["Accept"] = "*/*;bench=" .. token .. "-" .. thread_id .. "-" .. counter })
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'wrk-json {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean
  ))
end
