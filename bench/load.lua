-- wrk script for bench/load_bench.py: every request is a different member's.
--   wrk ... -s bench/load.lua URL -- SCENARIO MEMBERS_FILE THREADS [FORM_FILE PAGE]
-- SCENARIO: bare, link (open a personal link), view (GET a page), save (POST a page).
-- MEMBERS_FILE: one member a line: session id, CSRF secret, token, revision (tab-separated).
-- Each wrk thread takes every THREADS-th member and cycles through its own, so a member's
-- saves never overlap and each names the revision its previous save left.

local threads, counter = {}, 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  scenario, page = args[1], args[5]
  local nthreads = tonumber(args[3])
  members, position, statuses, sent = {}, 0, {}, 0
  local index = 0
  for line in io.lines(args[2]) do
    if index % nthreads == id then
      local session, csrf, token, revision = line:match("^(%S+)\t(%S+)\t(%S+)\t(%d+)$")
      table.insert(members, {session = session, csrf = csrf, token = token,
                             revision = tonumber(revision)})
    end
    index = index + 1
  end
  form = args[4] and io.open(args[4]):read("*a") or ""
  verifying = id == 0
end

function request()
  -- wrk calls thread 0's request() once before the run to check what it returns, and
  -- never sends that request: it must not use up a member (or a member's revision).
  if verifying then
    verifying = false
    return wrk.format("GET", "/bench/bare/")
  end
  if scenario == "bare" then
    return wrk.format("GET", "/bench/bare/")
  end
  position = position % #members + 1
  sent = sent + 1
  local m = members[position]
  if scenario == "link" then
    -- Behind a proxy every client has its own address, as the look-up limit expects.
    local address = string.format("10.%d.%d.%d", id, math.floor(sent / 250) % 250, sent % 250)
    return wrk.format("GET", "/r/" .. m.token .. "/", {["X-Forwarded-For"] = address})
  end
  local headers = {Cookie = "sessionid=" .. m.session .. "; csrftoken=" .. m.csrf}
  if scenario == "view" then
    return wrk.format("GET", "/r/page/" .. page .. "/", headers)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local body = form .. "&action=next&csrfmiddlewaretoken=" .. m.csrf .. "&revision=" .. m.revision
  m.revision = m.revision + 1
  return wrk.format("POST", "/r/page/" .. page .. "/", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"mean_ms": %.3f, "socket_errors": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, table.concat(parts, ", ")))
end
