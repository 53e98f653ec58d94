-- First step of filing a claimed group: rows already processed (by an instance whose claim outlived its lease)
-- are not returned and so not filed twice. The row locks hold until the group commits.
UPDATE file_events SET processed_at = now() WHERE id = ANY(?) AND processed_at IS NULL RETURNING id
