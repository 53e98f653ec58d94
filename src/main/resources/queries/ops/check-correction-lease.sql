-- Right before each delete of a correction: this instance still holds the task (owner, fence) and the lease (its
-- next_attempt_at while processing) has not expired.
SELECT 1 FROM auto_correction_tasks
 WHERE id = ? AND status = 'processing' AND lease_owner = ? AND lease_fence = ? AND next_attempt_at > now()
