-- ARGV: prefix. The waiting jobs in fair order (rounds over the rotation), each as id and fields;
-- then the running ones.
local users = redis.call('LRANGE', p .. 'rr', 0, -1)
local lists, most = {}, 0
for i, u in ipairs(users) do
  lists[i] = redis.call('LRANGE', ulist(u), 0, -1)
  most = math.max(most, #lists[i])
end
local waiting = {}
for r = 1, most do
  for i = 1, #users do
    local id = lists[i][r]
    if id then
      local f = jobfields(id)
      if f[1] then
        waiting[#waiting + 1] = {id, f[1], f[2], f[3], f[4], f[5], f[6]}
      end
    end
  end
end
local running = {}
for _, id in ipairs(redis.call('SMEMBERS', p .. 'run')) do
  local f = jobfields(id)
  if f[1] then running[#running + 1] = {id, f[1], f[2], f[3], f[4], f[5], f[6]} end
end
return {waiting, running}
