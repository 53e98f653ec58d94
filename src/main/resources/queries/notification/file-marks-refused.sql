-- The CMS refused the marks of these files as misconfigured (route mark-cms-files): they wait for the next start.
-- The lease goes in the same statement: cleared before the refusal is written, a sweep could claim them again.
UPDATE batch_files
   SET cms_mark_refused_at = now(), cms_mark_error = :#${header.markRefusal}, cms_mark_lease_expires_at = NULL
 WHERE id IN (:#in:${header.unmarkedIds})
   AND cms_marked_at IS NULL
