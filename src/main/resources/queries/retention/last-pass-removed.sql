-- What the latest pass removed, per table.
SELECT key AS "table", CAST(value AS bigint) AS removed
  FROM retention_pass, jsonb_each_text(removed)
 ORDER BY key
