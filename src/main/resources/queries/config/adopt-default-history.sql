-- Takes an earlier version's history over under the bundle's own table name; the old table stays as it was.
CREATE TABLE ingest_notify_schema_history (LIKE flyway_schema_history INCLUDING ALL);
INSERT INTO ingest_notify_schema_history SELECT * FROM flyway_schema_history;
