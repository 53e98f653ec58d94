-- Per event: kept as bench/IntakeBenchmark's per-event reference; the intake files a group set-based (the plural file).
UPDATE file_events SET outcome = ?, rejected_reason = ? WHERE id = ?
