-- ARGV: prefix, group, job id, final state (done|failed|cancelled), seconds the ended job's record
-- is kept. Idempotent. Returns 1 when this call ended the job, 0 when it had ended already.
local id = ARGV[3]
local h = redis.call('HMGET', jobkey(id), 'user', 'scope', 'state', 'entry')
if h[4] then
  redis.call('XACK', p .. 'jobs', ARGV[2], h[4])
  redis.call('XDEL', p .. 'jobs', h[4])
end
if h[3] == 'running' then
  redis.call('HINCRBY', p .. 'runs', h[2], -1)
  redis.call('SREM', p .. 'run', id)
elseif h[3] == 'queued' then
  redis.call('LREM', ulist(h[1]), 1, id)
  redis.call('DECR', p .. 'queued')
  if redis.call('LLEN', ulist(h[1])) == 0 then redis.call('LREM', p .. 'rr', 1, h[1]) end
else
  return 0
end
redis.call('HSET', jobkey(id), 'state', ARGV[4])
redis.call('EXPIRE', jobkey(id), tonumber(ARGV[5]))
return 1
