-- Who asked for the image behind a reply's buttons, so that they (or a moderator of the scope) can
-- delete the reply. Rows written before this migration have neither: only moderators delete those.
ALTER TABLE action_ref ADD COLUMN requester_id VARCHAR(255);
ALTER TABLE action_ref ADD COLUMN scope_id VARCHAR(255);
