INSERT INTO suppression_audit (suppression_id, action, actor) VALUES (?, ?, ?)
