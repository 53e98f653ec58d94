-- The recipient's controls (issue 17). V17, not the next free number, so that another branch's V11… cannot collide.
--
-- A digest a control holds back keeps its email_notification_log row with send_status:
--   'held'       it goes out at due_at (quiet hours' end, or when the rolling day's budget allows); at most one held
--                digest per recipient (company, bot, address): later batches fold into it;
--   'folded'     this batch's files go out in the digest of batch folded_into;
--   'suppressed' the address is on the suppression list: recorded, no mail.
-- counted_at is when a digest was claimed for sending: the budget counts these over the rolling day.
ALTER TABLE email_notification_log
    ADD COLUMN due_at TIMESTAMP,
    ADD COLUMN held_reason VARCHAR(20),
    ADD COLUMN folded_into UUID,
    ADD COLUMN folded_batches INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN counted_at TIMESTAMP;
CREATE UNIQUE INDEX ux_email_held_per_recipient ON email_notification_log (company_id, bot_id, lower(recipient_email))
    WHERE send_status = 'held';
CREATE INDEX ix_email_held_due ON email_notification_log (due_at) WHERE send_status = 'held';
CREATE INDEX ix_email_counted ON email_notification_log (company_id, bot_id, lower(recipient_email), counted_at)
    WHERE counted_at IS NOT NULL;
CREATE INDEX ix_email_folded_into ON email_notification_log (folded_into) WHERE folded_into IS NOT NULL;

-- Addresses that get no digest, per company and bot. A lifted suppression keeps its row (lifted_at, lifted_by); at
-- most one active row per address. cms_pending: an unsubscribe whose notification_enabled=false is not yet written
-- to the CMS (re-driven by the sweeper at cms_next_attempt_at).
CREATE TABLE suppressions (
    id SERIAL PRIMARY KEY,
    company_id INTEGER NOT NULL,
    bot_id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    reason VARCHAR(20) NOT NULL CHECK (reason IN ('unsubscribed', 'hard_bounce', 'complaint', 'operator')),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_by VARCHAR(200) NOT NULL,
    lifted_at TIMESTAMP,
    lifted_by VARCHAR(200),
    cms_pending BOOLEAN NOT NULL DEFAULT FALSE,
    cms_next_attempt_at TIMESTAMP,
    cms_error TEXT
);
CREATE UNIQUE INDEX ux_suppression_active ON suppressions (company_id, bot_id, lower(email)) WHERE lifted_at IS NULL;
CREATE INDEX ix_suppression_cms ON suppressions (cms_next_attempt_at) WHERE cms_pending;

-- Every change to the list, by whom: the operator's audit trail.
CREATE TABLE suppression_audit (
    id SERIAL PRIMARY KEY,
    suppression_id INTEGER NOT NULL REFERENCES suppressions(id),
    action VARCHAR(10) NOT NULL CHECK (action IN ('added', 'lifted')),
    actor VARCHAR(200) NOT NULL,
    at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_suppression_audit ON suppression_audit (suppression_id);
