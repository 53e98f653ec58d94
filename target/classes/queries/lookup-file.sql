-- The reference design's look-up of a file's metadata in the CMS's files table.
SELECT company_id, bot_id, name AS file_name, storage_key
  FROM files
 WHERE document_id = :#documentId
