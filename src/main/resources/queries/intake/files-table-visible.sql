-- Whether the CMS's files table (route lookup-file's query) is visible in the connection's search path.
SELECT to_regclass('files') IS NOT NULL
