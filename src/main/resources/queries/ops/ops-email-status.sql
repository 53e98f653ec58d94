-- Email notification success rate: digests by status, last 24 hours (ops page).
SELECT send_status AS status, COUNT(*) AS count FROM email_notification_log
 WHERE created_at > NOW() - INTERVAL '24 hours'
 GROUP BY send_status ORDER BY send_status
