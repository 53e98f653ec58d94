SELECT batch_id::text AS batch_id, recipient_email, email_subject, send_status, send_attempts, sent_at, created_at,
       error_message, smtp_code, smtp_status, bounced_at, bounce_status, email_content_text, email_content_html
  FROM email_notification_log
 ORDER BY id DESC
 LIMIT 30
