-- The tasks the deletion circuit breaker holds, oldest first (the ops page shows the first ones).
SELECT id, file_document_id, company_id, bot_id, failure_category, storage_key, held_at
  FROM auto_correction_tasks
 WHERE status = 'held'
 ORDER BY held_at, id
 LIMIT 20
