SELECT recipient_email, company_id, bot_id, email_subject, email_content_html, email_content_text, send_status
  FROM email_notification_log
 WHERE batch_id = ? AND email_type = 'batch_completion'
