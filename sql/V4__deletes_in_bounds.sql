-- Deletes stay inside what the service owns.
-- refused_reason: an action the bounds refused (S3_KEY_PREFIX, path segments); the task ends failed, never re-driven.
-- deletions_admitted_at: when the deletion circuit breaker let the task delete (MAX_DELETIONS_PER_HOUR counts these).
-- held_at / released_at: the breaker held the task; an operator released it (it then runs beyond the limit).
ALTER TABLE auto_correction_tasks
    ADD COLUMN refused_reason TEXT,
    ADD COLUMN deletions_admitted_at TIMESTAMP,
    ADD COLUMN held_at TIMESTAMP,
    ADD COLUMN released_at TIMESTAMP;
CREATE INDEX ix_act_deletions_admitted ON auto_correction_tasks(deletions_admitted_at) WHERE deletions_admitted_at IS NOT NULL;
CREATE INDEX ix_act_held ON auto_correction_tasks(held_at) WHERE status = 'held';
