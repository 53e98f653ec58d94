-- The look-up of lookup-file.sql for a group of documents in one query (the failed events of an intake group).
SELECT document_id, company_id, bot_id, name AS file_name, storage_key
  FROM {table}
 WHERE document_id IN (:#in:documentIds)
