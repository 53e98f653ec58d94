-- A lease already ended (the digest's send ended it) is left alone: no write, so no WAL flush for nothing.
UPDATE batch_processing_sessions SET lease_expires_at = NULL WHERE batch_id = ? AND lease_owner = ? AND lease_expires_at IS NOT NULL
