-- wrk script: POST /api/events with fresh events (unique event_id per event), EVENTS_PER_REQUEST per request
-- (1: one JSON object; more: an array), spread over USERS recipients; prints one RESULT line when done.
local eventsPer = tonumber(os.getenv("EVENTS_PER_REQUEST") or "1")
local users = tonumber(os.getenv("USERS") or "100")
local run = os.getenv("RUN_ID") or "run"
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. (os.getenv("INTAKE_TOKEN") or "")}
local threads = {}
local nextId = 0

function setup(thread)
  thread:set("tid", nextId)
  nextId = nextId + 1
  table.insert(threads, thread)
end

local counter = 0
function request()
  counter = counter + 1
  local parts = {}
  for i = 1, eventsPer do
    local u = (counter * eventsPer + i + tid * 31) % users
    parts[i] = string.format('{"event_id":"%s-%d-%d-%d","file_document_id":"%s-%d-%d-%d","status":"success",'
      .. '"user_email":"bench-%d@bench.example.com","company_id":1,"bot_id":2,"file_name":"f-%d-%d.pdf"}',
      run, tid, counter, i, run, tid, counter, i, u, counter, i)
  end
  local body = eventsPer == 1 and parts[1] or ("[" .. table.concat(parts, ",") .. "]")
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d timeouts=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
