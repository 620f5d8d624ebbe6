-- ARGV: prefix, group, consumer, entry ids... Resets the idle time of each entry this consumer
-- still holds (XCLAIM to itself, JUSTID); returns the entries it no longer holds (taken over).
local stream = p .. 'jobs'
local lost = {}
for i = 4, #ARGV do
  local ok, pend = pcall(redis.call, 'XPENDING', stream, ARGV[2], ARGV[i], ARGV[i], 1)
  if ok and pend[1] and pend[1][2] == ARGV[3] then
    redis.call('XCLAIM', stream, ARGV[2], ARGV[3], 0, ARGV[i], 'JUSTID')
  else
    lost[#lost + 1] = ARGV[i]
  end
end
return lost
