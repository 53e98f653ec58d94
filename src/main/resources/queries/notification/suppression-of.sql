-- The address's active suppression, if any.
SELECT id, reason FROM suppressions
 WHERE company_id = ? AND bot_id = ? AND lower(email) = lower(?) AND lifted_at IS NULL
