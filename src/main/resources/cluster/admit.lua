-- ARGV: prefix, id, user, scope, request json, enqueued-at millis, seq, node, user cap, global cap,
-- mode (0 = under the caps; 1 = no caps: a job re-admitted from the database; 2 = only check the
-- caps, write nothing). Returns {code, count, ...}: 1 admitted (count = its position, then the
-- user's and everyone's waiting jobs; in mode 2: {1, 0, user's, everyone's} before it), 2 already
-- known, 0 the user's cap (count = the user's waiting jobs), -1 the global cap (count = all waiting
-- jobs).
local id, user = ARGV[2], ARGV[3]
if redis.call('EXISTS', jobkey(id)) == 1 then
  return {2, 0}
end
local mine = redis.call('LLEN', ulist(user))
if ARGV[11] ~= '1' then
  if mine >= tonumber(ARGV[9]) then return {0, mine} end
  local all = tonumber(redis.call('GET', p .. 'queued') or '0')
  if all >= tonumber(ARGV[10]) then return {-1, all} end
  if ARGV[11] == '2' then return {1, 0, mine, all} end
end
redis.call('HSET', jobkey(id), 'user', user, 'scope', ARGV[4], 'req', ARGV[5], 'at', ARGV[6],
  'seq', ARGV[7], 'node', ARGV[8], 'state', 'queued')
redis.call('RPUSH', ulist(user), id)
local all = redis.call('INCR', p .. 'queued')
if mine == 0 then
  redis.call('RPUSH', p .. 'rr', user)
end
redis.call('PUBLISH', p .. 'ready', id)
return {1, place(user, mine + 1), mine + 1, all}
