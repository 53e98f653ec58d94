-- A file whose CMS mark the CMS refused as misconfigured (token lacks permission, no such route, a field the file type
-- lacks): logged once as an ERROR and not tried again by the sweeper until an instance starts after the refusal (a
-- fixed setting needs a restart; a fixed CMS is picked up by the next restart too).
ALTER TABLE batch_files ADD COLUMN cms_mark_refused_at TIMESTAMP, ADD COLUMN cms_mark_error TEXT;
