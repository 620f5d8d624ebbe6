-- The requests behind chat buttons (Re-roll, Variations, Timelapse), so buttons work after a restart.
CREATE TABLE action_ref (
  ref VARCHAR(32) PRIMARY KEY,
  request_json TEXT NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL);
CREATE INDEX action_ref_expires ON action_ref (expires_at);
