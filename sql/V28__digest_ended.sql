-- When a batch's digest has ended, said once for every query that asks (retention's steps): sent, failed, skipped or
-- suppressed; or folded into another batch's digest that has ended itself (or whose row is gone). A SQL function of one
-- expression, so the planner inlines it.
CREATE FUNCTION digest_ended(l email_notification_log) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT l.send_status IN ('sent', 'failed', 'skipped', 'suppressed')
        OR (l.send_status = 'folded'
            AND NOT EXISTS (SELECT 1 FROM email_notification_log h
                             WHERE h.batch_id = l.folded_into AND h.email_type = 'batch_completion'
                               AND h.send_status NOT IN ('sent', 'failed', 'skipped', 'suppressed')))
$$;
