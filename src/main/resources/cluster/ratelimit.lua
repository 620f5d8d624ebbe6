-- ARGV: prefix, scope, user, user limit, scope limit, mode (take | giveback). One fixed one-minute
-- window per user and per scope, each starting at its first request (PEXPIRE 60 s). take: counts
-- the request in both or in neither and returns {0, 0}, or {1, ms until the user's window ends}
-- or {2, ms until the scope's}. giveback: uncounts one request in each window still open.
local ku = p .. 'rl:' .. ARGV[2] .. ':u:' .. ARGV[3]
local ks = p .. 'rl:' .. ARGV[2] .. ':s'
if ARGV[6] == 'giveback' then
  for _, k in ipairs({ku, ks}) do
    if tonumber(redis.call('GET', k) or '0') > 0 then redis.call('DECR', k) end
  end
  return {0, 0}
end
if tonumber(redis.call('GET', ku) or '0') >= tonumber(ARGV[4]) then
  return {1, redis.call('PTTL', ku)}
end
if tonumber(redis.call('GET', ks) or '0') >= tonumber(ARGV[5]) then
  return {2, redis.call('PTTL', ks)}
end
for _, k in ipairs({ku, ks}) do
  if redis.call('INCR', k) == 1 then redis.call('PEXPIRE', k, 60000) end
end
return {0, 0}
