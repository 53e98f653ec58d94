-- A file's metadata from the CMS's files table (route lookup-file with METADATA_SOURCE=sql). {table} is METADATA_TABLE,
-- filled in once at start (MetadataLookupMode).
SELECT company_id, bot_id, name AS file_name, storage_key
  FROM {table}
 WHERE document_id = :#documentId
