UPDATE batch_files SET cms_marked_at = now() WHERE id = :#${body[id]}
