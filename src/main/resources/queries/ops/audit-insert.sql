-- One operator action (ops.OperatorAudit): credential label, client address, action, target, HTTP status, result.
INSERT INTO operator_audit (credential, client_address, action, target, status, result) VALUES (?, ?, ?, ?, ?, ?)
