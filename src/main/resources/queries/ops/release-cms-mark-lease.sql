-- A mark deferred (CMS outage) or refused: the file is free for the next sweep, by any instance.
UPDATE batch_files SET cms_mark_lease_expires_at = NULL WHERE id = ? AND cms_mark_owner = ?
