-- A file's metadata from the CMS's files table (route lookup-file; replace the route to ask the CMS API instead).
SELECT company_id, bot_id, name AS file_name, storage_key
  FROM files
 WHERE document_id = :#documentId
