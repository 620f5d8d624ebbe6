-- Images each user has had made per quota day in each scope (limits.dailyImagesPerUser).
CREATE TABLE quota_usage (
  scope_id VARCHAR(255) NOT NULL,
  user_id VARCHAR(255) NOT NULL,
  quota_day DATE NOT NULL,
  used INT NOT NULL,
  PRIMARY KEY (scope_id, user_id, quota_day));
