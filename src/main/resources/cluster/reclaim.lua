-- ARGV: prefix, group, consumer, lease in ms. Takes over one running job whose worker sent no
-- heartbeat for the lease (XAUTOCLAIM); entries of jobs that ended or were cancelled meanwhile are
-- acknowledged and dropped; so are those of running jobs cancelled meanwhile (ended as cancelled).
-- Returns {entry, id, fields...} or false.
local stream = p .. 'jobs'
if redis.call('EXISTS', stream) == 0 then return false end
local cursor = '0-0'
for _ = 1, 50 do
  local ok, r = pcall(redis.call, 'XAUTOCLAIM', stream, ARGV[2], ARGV[3], ARGV[4], cursor, 'COUNT', 1)
  if not ok then return false end -- no group yet
  cursor = r[1]
  local e = r[2][1]
  if e then
    local entry, fields = e[1], e[2]
    local id = fields and fields[2]
    local h = id and redis.call('HMGET', jobkey(id), 'state', 'cancel') or {}
    if h[1] == 'running' and h[2] == '1' then
      redis.call('HINCRBY', p .. 'runs', redis.call('HGET', jobkey(id), 'scope'), -1)
      redis.call('SREM', p .. 'run', id)
      redis.call('HSET', jobkey(id), 'state', 'cancelled')
      h[1] = 'cancelled'
    end
    if h[1] == 'running' then
      redis.call('HSET', jobkey(id), 'worker', ARGV[3], 'entry', entry)
      local f = jobfields(id)
      return {entry, id, f[1], f[2], f[3], f[4], f[5]}
    end
    redis.call('XACK', stream, ARGV[2], entry)
    redis.call('XDEL', stream, entry)
  end
  if cursor == '0-0' then return false end
end
return false
