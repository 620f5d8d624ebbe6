-- The job that made the image behind a reply's buttons, so that a Re-roll or Variation of it can
-- name its parent (provenance parent_job). Null for a cache hit (no job ran) and older rows.
ALTER TABLE action_ref ADD COLUMN job_id VARCHAR(64);
