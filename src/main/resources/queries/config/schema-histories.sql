-- Which Flyway history tables the bundle's schema (search_path, set just before) holds: its own, and the one an
-- earlier version wrote under Flyway's default name, with whether that one records the bundle's first migration.
SELECT to_regclass('ingest_notify_schema_history') IS NOT NULL AS own,
       to_regclass('flyway_schema_history') IS NOT NULL AS default_named
