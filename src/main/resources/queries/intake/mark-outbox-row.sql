UPDATE file_events SET outcome = ?, rejected_reason = ? WHERE id = ?
