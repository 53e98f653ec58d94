-- Each operational table's size on disk (with its indexes and TOAST) and about how many rows it holds: the
-- statistics' live-row count, so the ops page never counts millions of rows.
SELECT c.relname AS "table", pg_total_relation_size(c.oid) AS bytes, COALESCE(s.n_live_tup, 0) AS rows
  FROM pg_class c
  LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
 WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
   AND c.relkind = 'r'
   AND c.relname = ANY(?)
 ORDER BY c.relname
