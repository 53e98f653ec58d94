UPDATE batch_processing_sessions SET lease_expires_at = NULL WHERE batch_id = ? AND lease_owner = ?
