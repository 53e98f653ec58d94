SELECT count(*) FROM auto_correction_tasks WHERE status = 'held'
