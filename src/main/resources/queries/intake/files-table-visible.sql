-- Whether the metadata look-up's table (METADATA_TABLE) is visible in the connection's search path.
SELECT to_regclass(?) IS NOT NULL
