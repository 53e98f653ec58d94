-- The operator's audit trail (issue 22): every operator action that changes something, one row each, whatever its
-- answer (a refused one too: 400, 404, 409, 5xx). V25, the number the issue's branch was given.
--   credential      who, never the secret: 'operator <user>' (Basic), 'operator token <8 hex of its SHA-256>'
--   client_address  the TCP peer, or behind HTTP_TRUSTED_PROXIES the last X-Forwarded-For hop that is not a proxy
--   action          digest.resend, correction.retry, corrections.held.release, corrections.held.cancel,
--                   suppression.add, suppression.lift
--   target          what it acted on ('batch <uuid>', 'correction <id>', 'suppression <id>', 'held corrections')
--   status, result  the HTTP status answered and a short outcome
CREATE TABLE operator_audit (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    credential VARCHAR(200) NOT NULL,
    client_address VARCHAR(64),
    action VARCHAR(40) NOT NULL,
    target VARCHAR(300),
    status INTEGER,
    result VARCHAR(300)
);
-- GET /api/audit pages newest first (by id), filtered by action and since; retention walks by (at, id).
CREATE INDEX ix_operator_audit_at ON operator_audit (at, id);
CREATE INDEX ix_operator_audit_action ON operator_audit (action, id);

-- suppression_audit (V17) is folded in: the operator's changes move here; a recipient's one-click unsubscribe is
-- not an operator action, and stays on its suppressions row (created_by, created_at), as every lift does (lifted_by).
INSERT INTO operator_audit (at, credential, client_address, action, target, status, result)
SELECT a.at, a.actor, NULL, CASE a.action WHEN 'added' THEN 'suppression.add' ELSE 'suppression.lift' END,
       'suppression ' || a.suppression_id, CASE a.action WHEN 'added' THEN 201 ELSE 200 END, a.action
  FROM suppression_audit a
 WHERE a.actor LIKE 'operator%'
 ORDER BY a.id;
DROP TABLE suppression_audit;
