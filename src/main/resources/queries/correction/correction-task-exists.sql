-- Whether a correction task id is known (an unknown one is a 404, a known one in the wrong state a 409).
SELECT EXISTS (SELECT 1 FROM auto_correction_tasks WHERE id = ?)
