-- The guard: has this file succeeded since its task was made? Then nothing may be deleted.
SELECT EXISTS (SELECT 1
                 FROM file_processing_status
                WHERE file_document_id = ?
                  AND status = 'success'
                  AND created_at >= ?)
