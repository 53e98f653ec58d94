-- An earlier version's history (Flyway's default table name) records the bundle's first migration.
SELECT EXISTS (SELECT 1 FROM flyway_schema_history WHERE script = 'V1__operational_tables.sql' AND success)
