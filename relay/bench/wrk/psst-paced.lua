-- psst.lua at a target rate: each connection waits about `interval` ms (key
-- interval=, a float, dithered to whole ms) before each request, so the run
-- offers roughly connections * 1000 / interval requests per second.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "psst.lua")

local baseInit = init
local interval = 0

function init(args)
  baseInit(args)
  for i = 2, #args do
    local v = args[i]:match("^interval=(.*)$")
    if v then interval = tonumber(v) end
  end
  math.randomseed(os.time())
end

function delay()
  local whole = math.floor(interval)
  if math.random() < interval - whole then whole = whole + 1 end
  return whole
end
