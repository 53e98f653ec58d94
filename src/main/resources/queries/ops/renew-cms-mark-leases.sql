-- Renews this instance's leases on the CMS marks it is making.
-- A lease that expired is not renewed (another instance may have taken it, or may any moment): its work stops at
-- its next check.
UPDATE batch_files
   SET cms_mark_lease_expires_at = now() + make_interval(secs => ?)
 WHERE id = ANY(?) AND cms_mark_owner = ? AND cms_marked_at IS NULL AND cms_mark_lease_expires_at > now()
RETURNING id
