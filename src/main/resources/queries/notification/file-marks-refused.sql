-- The CMS refused the marks of these files as misconfigured (route mark-cms-files): they wait for the next start.
UPDATE batch_files
   SET cms_mark_refused_at = now(), cms_mark_error = :#${header.markRefusal}
 WHERE id IN (:#in:${header.unmarkedIds})
   AND cms_marked_at IS NULL
