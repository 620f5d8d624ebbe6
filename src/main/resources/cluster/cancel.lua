-- ARGV: prefix, job id, seconds the ended job's record is kept. A waiting job leaves the queue; a
-- running one is flagged, so that a worker taking it over drops it. Returns queued, running or
-- none.
local id = ARGV[2]
local h = redis.call('HMGET', jobkey(id), 'user', 'state')
if h[2] == 'queued' then
  redis.call('LREM', ulist(h[1]), 1, id)
  redis.call('DECR', p .. 'queued')
  if redis.call('LLEN', ulist(h[1])) == 0 then redis.call('LREM', p .. 'rr', 1, h[1]) end
  redis.call('HSET', jobkey(id), 'state', 'cancelled')
  redis.call('EXPIRE', jobkey(id), tonumber(ARGV[3]))
  return 'queued'
elseif h[2] == 'running' then
  redis.call('HSET', jobkey(id), 'cancel', '1')
  return 'running'
end
return 'none'
