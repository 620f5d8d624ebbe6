-- A user's default grid for /imagine (1: one image, 4: a contact sheet); null: the scope's (one image).
ALTER TABLE user_prefs ADD COLUMN grid INT;
