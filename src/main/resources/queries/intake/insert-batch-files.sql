-- The batch_files rows of an intake group in one statement (one array element per batched file).
INSERT INTO batch_files (batch_id, file_document_id, file_name, file_size_bytes, processing_status,
                         processing_end_time, processing_time_seconds, chunks_created, error_message, error_category,
                         file_event_id, storage_key)
SELECT f.batch_id::uuid, f.file_document_id, f.file_name, f.file_size_bytes, f.processing_status, f.processing_end_time,
       f.processing_time_seconds, COALESCE(f.chunks_created, 0), f.error_message, f.error_category, f.file_event_id,
       f.storage_key
  FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::timestamp[], ?::int[], ?::int[], ?::text[],
              ?::text[], ?::int[], ?::text[])
       AS f(batch_id, file_document_id, file_name, file_size_bytes, processing_status, processing_end_time,
            processing_time_seconds, chunks_created, error_message, error_category, file_event_id, storage_key)
