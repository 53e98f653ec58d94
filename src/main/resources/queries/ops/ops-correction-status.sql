-- Auto-correction effectiveness: tasks by status, last 24 hours (ops page).
SELECT status, COUNT(*) AS count FROM auto_correction_tasks
 WHERE created_at > NOW() - INTERVAL '24 hours'
 GROUP BY status ORDER BY status
