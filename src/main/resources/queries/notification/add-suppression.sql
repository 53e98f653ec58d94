-- Suppresses an address once: a second request for an active suppression changes nothing but may ask for the CMS
-- write (an operator's suppression the recipient then unsubscribes from). inserted: whether this made the row.
INSERT INTO suppressions (company_id, bot_id, email, reason, created_by, cms_pending, cms_next_attempt_at)
VALUES (?, ?, lower(?), ?, ?, ?, CURRENT_TIMESTAMP)
ON CONFLICT (company_id, bot_id, lower(email)) WHERE lifted_at IS NULL DO UPDATE
   SET cms_pending = suppressions.cms_pending OR EXCLUDED.cms_pending,
       cms_next_attempt_at = CASE WHEN EXCLUDED.cms_pending AND NOT suppressions.cms_pending THEN CURRENT_TIMESTAMP
                                  ELSE suppressions.cms_next_attempt_at END
RETURNING id, reason, (xmax = 0) AS inserted
