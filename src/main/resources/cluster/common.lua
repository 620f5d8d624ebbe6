-- Shared by every script (prepended): ARGV[1] is the key prefix.
local p = ARGV[1]
local function ulist(user) return p .. 'u:' .. user end
local function jobkey(id) return p .. 'job:' .. id end
-- The 1-based place in the fair order of the k-th waiting job of `user`: round r serves the r-th
-- job of every user in rotation order, so before it run every user's first k-1 jobs and the k-th
-- jobs of the users ahead of `user`.
local function place(user, k)
  local pos = k
  local ahead = true
  for _, u in ipairs(redis.call('LRANGE', p .. 'rr', 0, -1)) do
    if u == user then
      ahead = false
    else
      local n = redis.call('LLEN', ulist(u))
      pos = pos + math.min(n, ahead and k or k - 1)
    end
  end
  return pos
end
local function jobfields(id)
  return redis.call('HMGET', jobkey(id), 'user', 'scope', 'at', 'req', 'node', 'seq')
end
