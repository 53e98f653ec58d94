-- A branch that succeeded sets its flag and logs it at once; a re-drive never repeats it. Owner and fence are checked,
-- not the expiry: the delete has happened, and recording it keeps a takeover from repeating it; the fence keeps a
-- stale holder from writing on a task another instance took over.
UPDATE auto_correction_tasks
   SET s3_cleanup_completed = s3_cleanup_completed OR ? = 's3_delete',
       cms_cleanup_completed = cms_cleanup_completed OR ? = 'cms_delete',
       chroma_cleanup_completed = chroma_cleanup_completed OR ? = 'chroma_delete',
       execution_log = execution_log || jsonb_build_array(jsonb_build_object('at', now(), 'step', ?::text, 'action', ?::text, 'detail', ?::text))
 WHERE id = ?
   AND lease_owner = ? AND lease_fence = ? AND status = 'processing'
