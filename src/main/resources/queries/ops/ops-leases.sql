-- Which instance holds what right now: live leases by owner and kind, with the latest expiry.
SELECT owner, kind, count(*) AS held, max(expires_at) AS expires_at
  FROM (SELECT lease_owner AS owner, 'digest' AS kind, lease_expires_at AS expires_at
          FROM email_notification_log
         WHERE send_status IN ('pending', 'retrying') AND lease_expires_at > now()
        UNION ALL
        SELECT lease_owner, 'batch', lease_expires_at
          FROM batch_processing_sessions
         WHERE lease_expires_at > now()
        UNION ALL
        SELECT cms_mark_owner, 'cms_mark', cms_mark_lease_expires_at
          FROM batch_files
         WHERE cms_marked_at IS NULL AND cms_mark_lease_expires_at > now()
        UNION ALL
        SELECT lease_owner, 'correction', next_attempt_at
          FROM auto_correction_tasks
         WHERE status = 'processing' AND next_attempt_at > now()
        UNION ALL
        SELECT claimed_by, 'outbox', claimed_at + make_interval(secs => ?)
          FROM file_events
         WHERE processed_at IS NULL AND claimed_at > now() - make_interval(secs => ?)) l
 GROUP BY owner, kind
 ORDER BY owner, kind
