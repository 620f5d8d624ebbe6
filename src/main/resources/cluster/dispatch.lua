-- ARGV: prefix, group, consumer, default GPU share of a scope. Picks the first user in rotation
-- whose next job's scope is neither paused nor at its share, moves that user to the back, and
-- hands the job to `consumer` through the stream's consumer group. Returns {entry, id, fields...}
-- or false.
if redis.call('EXISTS', p .. 'pause') == 1 then return false end
local stream = p .. 'jobs'
for _, u in ipairs(redis.call('LRANGE', p .. 'rr', 0, -1)) do
  local id = redis.call('LINDEX', ulist(u), 0)
  local scope = id and redis.call('HGET', jobkey(id), 'scope')
  if id and not scope then
    -- a waiting id without its job (cannot happen unless keys were removed by hand): drop it
    redis.call('LPOP', ulist(u))
    redis.call('DECR', p .. 'queued')
    if redis.call('LLEN', ulist(u)) == 0 then redis.call('LREM', p .. 'rr', 1, u) end
  elseif scope and redis.call('SISMEMBER', p .. 'paused', scope) == 0 then
    local share = tonumber(redis.call('HGET', p .. 'share', scope) or ARGV[4])
    local runs = tonumber(redis.call('HGET', p .. 'runs', scope) or '0')
    if runs < share then
      redis.call('LPOP', ulist(u))
      redis.call('LREM', p .. 'rr', 1, u)
      if redis.call('LLEN', ulist(u)) > 0 then redis.call('RPUSH', p .. 'rr', u) end
      redis.call('DECR', p .. 'queued')
      redis.call('HINCRBY', p .. 'runs', scope, 1)
      redis.call('SADD', p .. 'run', id)
      local entry = redis.call('XADD', stream, '*', 'id', id)
      if not redis.pcall('XINFO', 'GROUPS', stream)[1] then
        redis.pcall('XGROUP', 'CREATE', stream, ARGV[2], '0')
      end
      -- delivered to this consumer now; its heartbeats keep it, XAUTOCLAIM moves it when they stop
      redis.call('XREADGROUP', 'GROUP', ARGV[2], ARGV[3], 'COUNT', 1, 'STREAMS', stream, '>')
      redis.call('HSET', jobkey(id), 'state', 'running', 'entry', entry, 'worker', ARGV[3])
      local f = jobfields(id)
      return {entry, id, f[1], f[2], f[3], f[4], f[5]}
    end
  end
end
return false
