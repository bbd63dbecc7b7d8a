"""The two Lua scripts behind the store. Each runs atomically on the node owning the
conversation's hash slot, so a turn costs one round trip to read and one to write.

Both scripts read the stored version the same way (``VERSION_OF``): a value that is not a
JSON object with a non-negative integer ``version`` counts as version 0. Load and save agree
on it, so the save after a load of an unreadable value overwrites that value.
"""

from __future__ import annotations

VERSION_OF = """
local function version_of(raw)
  if not raw then return 0 end
  local ok, env = pcall(cjson.decode, raw)
  if not ok or type(env) ~= 'table' then return 0 end
  local v = env['version']
  if type(v) ~= 'number' or v < 0 or v ~= math.floor(v) or v > 9007199254740991 then
    return 0
  end
  return v
end
"""

#: KEYS[1] conversation, KEYS[2] event key (optional).
#: Returns {version, raw envelope or nil, 1 if the event was already applied else 0}.
LOAD = VERSION_OF + """
local raw = redis.call('GET', KEYS[1])
local dup = 0
if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then dup = 1 end
return {version_of(raw), raw, dup}
"""

SAVED, CONFLICT, DUPLICATE = 0, 1, 2

#: KEYS[1] conversation, KEYS[2] event key (optional).
#: ARGV: expected version, envelope JSON, conversation TTL ms, event TTL ms, attempt nonce.
#: Returns 0 saved, 1 conflict, 2 duplicate. The event key holds the nonce of the save that
#: recorded it, so a client-side retry of a save whose reply was lost reads as SAVED, not
#: DUPLICATE; without an event id, finding our exact envelope already stored reads as SAVED.
SAVE = VERSION_OF + """
if KEYS[2] then
  local seen = redis.call('GET', KEYS[2])
  if seen then
    if seen == ARGV[5] then return 0 end
    return 2
  end
end
local raw = redis.call('GET', KEYS[1])
if version_of(raw) ~= tonumber(ARGV[1]) then
  if not KEYS[2] and raw == ARGV[2] then return 0 end
  return 1
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if KEYS[2] then redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[4]) end
return 0
"""
