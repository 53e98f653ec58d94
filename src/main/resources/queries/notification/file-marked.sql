UPDATE batch_files SET cms_marked_at = now(), cms_mark_lease_expires_at = NULL WHERE id = :#${body[id]}
