-- wrk script for the psst benchmark. One thread (wrk -t1), so the queues below
-- are shared by every connection of the run.
-- Arguments (after --): mode, then key=value pairs:
--   mode   ceiling-get | ceiling-post | create | look | reveal | mixed
--   bodies file of create bodies, one JSON per line (create, mixed, ceiling-post)
--   ids    file of secret ids, one per line (look, reveal)
--   out    file the ids of created secrets are appended to (create, mixed)
--   auth   the access token every pooled body was sealed with (look, reveal, mixed)
--   result file the summary JSON is written to
local mode, opts = nil, {}
local requests, ids = {}, {}
local nextRequest, nextId = 1, 1
local out, outCount = nil, 0
-- FIFO queues with explicit ends (Lua's # is unreliable on tables with holes).
local function queue() return { head = 1, tail = 0 } end
local function push(q, v) q.tail = q.tail + 1; q[q.tail] = v end
local function pop(q)
  if q.head > q.tail then return nil end
  local v = q[q.head]
  q[q.head] = nil
  q.head = q.head + 1
  return v
end
local toLook, looking, toReveal = queue(), queue(), queue()
local jsonHeaders = { ["Content-Type"] = "application/json" }
local authHeaders, revealHeaders

local function readLines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  return lines
end

function init(args)
  mode = args[1]
  for i = 2, #args do
    local k, v = args[i]:match("^([^=]+)=(.*)$")
    if k then opts[k] = v end
  end
  if opts.auth then
    authHeaders = { ["Authorization"] = "Bearer " .. opts.auth }
    revealHeaders = { ["Authorization"] = "Bearer " .. opts.auth, ["Content-Type"] = "application/json" }
  end
  if opts.bodies then
    for _, body in ipairs(readLines(opts.bodies)) do
      local path = mode == "ceiling-post" and "/" or "/api/secrets"
      requests[#requests + 1] = wrk.format("POST", path, jsonHeaders, body)
    end
  end
  if opts.ids then ids = readLines(opts.ids) end
  if opts.out then
    out = io.open(opts.out, "a")
    out:setvbuf("full")
  end
end

local function createRequest()
  local r = requests[nextRequest]
  nextRequest = nextRequest % #requests + 1
  return r
end

local function revealRequest(id)
  return wrk.format("POST", "/api/secrets/" .. id .. "/reveal", revealHeaders, "{}")
end

function request()
  if mode == "ceiling-get" then
    return wrk.format("GET", "/api/secrets/AAAAAAAAAAAAAAAAAAAAAA", authHeaders)
  elseif mode == "ceiling-post" or mode == "create" then
    return createRequest()
  elseif mode == "look" then
    local id = ids[nextId]
    nextId = nextId % #ids + 1
    return wrk.format("GET", "/api/secrets/" .. id, authHeaders)
  elseif mode == "reveal" then
    local id = ids[nextId]
    if id == nil then
      -- Pool used up: these 404s show in the status errors and the harness repeats the run with more secrets.
      id = "AAAAAAAAAAAAAAAAAAAAAA"
    end
    nextId = nextId + 1
    return revealRequest(id)
  else -- mixed: every created secret is looked at, then revealed once its look came back
    local id = pop(toReveal)
    if id then return revealRequest(id) end
    id = pop(toLook)
    if id then
      push(looking, id)
      return wrk.format("GET", "/api/secrets/" .. id, authHeaders)
    end
    return createRequest()
  end
end

function response(status, headers, body)
  if mode == "mixed" and status == 200 and body:find('"kdf"', 1, true) then
    -- A look came back: the oldest secret being looked at may now be revealed.
    local id = pop(looking)
    if id then push(toReveal, id) end
  elseif status == 201 then
    local id = body:match('"id":"([A-Za-z0-9_-]+)"')
    if id then
      if mode == "mixed" then push(toLook, id) end
      if out then
        out:write(id, "\n")
        outCount = outCount + 1
        if outCount % 64 == 0 then out:flush() end
      end
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local parts = {
    string.format('"requests":%d', summary.requests),
    string.format('"durationUs":%d', summary.duration),
    string.format('"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}', e.connect, e.read, e.write, e.status, e.timeout),
    string.format('"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}',
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean),
  }
  io.write("PSST_RESULT {" .. table.concat(parts, ",") .. "}\n")
end
