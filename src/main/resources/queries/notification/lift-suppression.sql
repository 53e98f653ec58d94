-- Lifts an active suppression (the row stays, with who lifted it and when); a pending CMS write is dropped with it.
UPDATE suppressions
   SET lifted_at = CURRENT_TIMESTAMP, lifted_by = ?, cms_pending = FALSE
 WHERE id = ? AND lifted_at IS NULL
RETURNING id, company_id, bot_id, email, reason
