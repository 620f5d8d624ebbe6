-- ARGV: prefix, group, job id. A job handed to a worker that may not run it now goes back to the
-- front of its user's FIFO (and its user to the front of the rotation when it had no other job).
local id = ARGV[3]
local h = redis.call('HMGET', jobkey(id), 'user', 'scope', 'state', 'entry')
if h[3] ~= 'running' then return 0 end
if h[4] then
  redis.call('XACK', p .. 'jobs', ARGV[2], h[4])
  redis.call('XDEL', p .. 'jobs', h[4])
end
redis.call('HINCRBY', p .. 'runs', h[2], -1)
redis.call('SREM', p .. 'run', id)
redis.call('LPUSH', ulist(h[1]), id)
redis.call('INCR', p .. 'queued')
if redis.call('LLEN', ulist(h[1])) == 1 then redis.call('LPUSH', p .. 'rr', h[1]) end
redis.call('HSET', jobkey(id), 'state', 'queued')
redis.call('HDEL', jobkey(id), 'entry', 'worker')
return 1
