-- Each user's own defaults for the options a request leaves out, per scope (/imagine-prefs).
-- A null column has no default of the user's: the scope's applies.
CREATE TABLE user_prefs (
  scope_id VARCHAR(255) NOT NULL,
  user_id VARCHAR(255) NOT NULL,
  model VARCHAR(255),
  strategy VARCHAR(16),
  steps INT,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (scope_id, user_id));
