-- ARGV: prefix, job id. The job's 1-based place in the fair order, 0 when it is not waiting.
local h = redis.call('HMGET', jobkey(ARGV[2]), 'user', 'state')
if h[2] ~= 'queued' then return 0 end
for i, v in ipairs(redis.call('LRANGE', ulist(h[1]), 0, -1)) do
  if v == ARGV[2] then return place(h[1], i) end
end
return 0
