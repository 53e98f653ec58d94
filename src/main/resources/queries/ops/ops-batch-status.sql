-- Batch processing health: batches by status, last 24 hours (ops page).
SELECT status, COUNT(*) AS count FROM batch_processing_sessions
 WHERE created_at > NOW() - INTERVAL '24 hours'
 GROUP BY status ORDER BY status
