-- The active suppressions, newest first.
SELECT id, company_id, bot_id, email, reason, created_at, created_by, cms_pending
  FROM suppressions
 WHERE lifted_at IS NULL
 ORDER BY created_at DESC, id DESC
 LIMIT 200
