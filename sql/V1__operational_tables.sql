-- The operational tables of the reference design (column names unchanged, so its
-- operational queries run as written), plus the outbox and what the batching rules need.

-- Outbox: one row per file-processing outcome. Producers insert with
-- ON CONFLICT (event_id) DO NOTHING; HTTP intake records its events here too, so every
-- accepted event has one row (idempotency by event_id, and the id other tables refer to).
CREATE TABLE file_events (
    id SERIAL PRIMARY KEY,
    event_id TEXT NOT NULL,
    file_document_id TEXT,
    status VARCHAR(20),
    user_email VARCHAR(255),
    company_id INTEGER,
    bot_id INTEGER,
    file_name TEXT,
    storage_key TEXT,
    file_size_bytes BIGINT,
    stage VARCHAR(50),
    chunks_created INTEGER,
    processing_time_seconds INTEGER,
    error_message TEXT,
    error_category VARCHAR(50),
    occurred_at TIMESTAMP,
    source VARCHAR(20) DEFAULT 'outbox',     -- 'outbox', 'http', 'route'
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    claimed_at TIMESTAMP,                    -- set by the poller's atomic claim; a stale claim is re-claimed
    processed_at TIMESTAMP,                  -- set in the same transaction that files the event into a batch
    outcome VARCHAR(20),                     -- 'batched', 'no_recipient', 'file_not_found', 'rejected'
    rejected_reason TEXT
);
CREATE UNIQUE INDEX ux_file_events_event_id ON file_events(event_id);
CREATE INDEX ix_file_events_unprocessed ON file_events(id) WHERE processed_at IS NULL;

CREATE TABLE batch_processing_sessions (
    id SERIAL PRIMARY KEY,
    batch_id UUID NOT NULL UNIQUE,
    company_id INTEGER NOT NULL,
    bot_id INTEGER NOT NULL,
    user_email VARCHAR(255) NOT NULL,
    batch_start_time TIMESTAMP NOT NULL,
    batch_end_time TIMESTAMP,
    total_files INTEGER DEFAULT 0,
    successful_files INTEGER DEFAULT 0,
    failed_files INTEGER DEFAULT 0,
    status VARCHAR(20) DEFAULT 'processing',  -- 'processing', 'completed', 'failed'
    notification_sent BOOLEAN DEFAULT FALSE,
    notification_sent_at TIMESTAMP,
    user_preferences_snapshot JSONB,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    completion_reason VARCHAR(20)             -- 'size', 'timeout', 'max_age'
);
-- At most one open batch per (company, bot, user): PostgreSQL decides, not memory.
CREATE UNIQUE INDEX ux_batch_open_per_key ON batch_processing_sessions(company_id, bot_id, user_email)
    WHERE status = 'processing';
CREATE INDEX ix_batch_status_created ON batch_processing_sessions(status, created_at);

CREATE TABLE batch_files (
    id SERIAL PRIMARY KEY,
    batch_id UUID NOT NULL REFERENCES batch_processing_sessions(batch_id) ON DELETE CASCADE,
    file_document_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size_bytes BIGINT,
    processing_status VARCHAR(20) DEFAULT 'pending',
    processing_start_time TIMESTAMP,
    processing_end_time TIMESTAMP,
    processing_time_seconds INTEGER,
    chunks_created INTEGER DEFAULT 0,
    error_message TEXT,
    error_category VARCHAR(50),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    file_event_id INTEGER REFERENCES file_events(id),
    storage_key TEXT
);
CREATE INDEX ix_batch_files_batch ON batch_files(batch_id);
CREATE INDEX ix_batch_files_document ON batch_files(file_document_id);

CREATE TABLE file_processing_status (
    id SERIAL PRIMARY KEY,
    file_event_id INTEGER NOT NULL REFERENCES file_events(id),
    file_document_id TEXT NOT NULL,
    batch_id UUID REFERENCES batch_processing_sessions(batch_id),
    processing_stage VARCHAR(50) NOT NULL,
    status VARCHAR(20) NOT NULL,
    stage_start_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    stage_end_time TIMESTAMP,
    error_message TEXT,
    error_details JSONB,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_fps_document ON file_processing_status(file_document_id, created_at);

CREATE TABLE auto_correction_tasks (
    id SERIAL PRIMARY KEY,
    file_document_id TEXT NOT NULL,
    file_name TEXT,
    company_id INTEGER,
    bot_id INTEGER,
    batch_id UUID REFERENCES batch_processing_sessions(batch_id),
    failure_category VARCHAR(50) NOT NULL,
    original_error_message TEXT NOT NULL,
    correction_actions JSONB NOT NULL,
    status VARCHAR(20) DEFAULT 'pending',     -- 'pending', 'processing', 'completed', 'failed', 'cancelled'
    s3_cleanup_completed BOOLEAN DEFAULT FALSE,
    cms_cleanup_completed BOOLEAN DEFAULT FALSE,
    chroma_cleanup_completed BOOLEAN DEFAULT FALSE,
    execution_log JSONB DEFAULT '[]'::jsonb,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    error_during_correction TEXT,
    storage_key TEXT,                         -- captured when the task is made: the CMS record may be gone later
    file_event_id INTEGER REFERENCES file_events(id),
    attempts INTEGER DEFAULT 0,
    next_attempt_at TIMESTAMP,
    failed_action VARCHAR(20)
);
CREATE INDEX ix_act_due ON auto_correction_tasks(status, next_attempt_at);
CREATE UNIQUE INDEX ux_act_file_event ON auto_correction_tasks(file_event_id);

CREATE TABLE processing_errors (
    id SERIAL PRIMARY KEY,
    file_event_id INTEGER REFERENCES file_events(id),
    file_document_id TEXT NOT NULL,
    batch_id UUID REFERENCES batch_processing_sessions(batch_id),
    error_category VARCHAR(50) NOT NULL,
    error_message TEXT NOT NULL,
    error_details JSONB,
    stack_trace TEXT,
    processing_stage VARCHAR(50),
    auto_correction_triggered BOOLEAN DEFAULT FALSE,
    resolution_status VARCHAR(20) DEFAULT 'unresolved',
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    resolved_at TIMESTAMP
);

CREATE TABLE email_notification_log (
    id SERIAL PRIMARY KEY,
    batch_id UUID NOT NULL REFERENCES batch_processing_sessions(batch_id),
    recipient_email VARCHAR(255) NOT NULL,
    company_id INTEGER NOT NULL,
    bot_id INTEGER NOT NULL,
    email_type VARCHAR(50) DEFAULT 'batch_completion',
    email_subject TEXT NOT NULL,
    email_content_html TEXT,
    email_content_text TEXT,
    send_status VARCHAR(20) DEFAULT 'pending',  -- 'pending', 'retrying', 'sent', 'failed', 'skipped'
    send_attempts INTEGER DEFAULT 0,
    max_attempts INTEGER DEFAULT 3,
    sent_at TIMESTAMP,
    error_message TEXT,
    smtp_response TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
-- One digest per batch: inserting this row is the claim to send it.
CREATE UNIQUE INDEX ux_email_per_batch ON email_notification_log(batch_id, email_type);
CREATE INDEX ix_email_status ON email_notification_log(send_status, created_at);

CREATE TABLE notification_retry_log (
    id SERIAL PRIMARY KEY,
    batch_id UUID NOT NULL REFERENCES batch_processing_sessions(batch_id),
    retry_attempt INTEGER NOT NULL,
    error_message TEXT,
    retry_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN DEFAULT FALSE,
    next_retry_at TIMESTAMP
);
CREATE INDEX ix_retry_batch ON notification_retry_log(batch_id);
