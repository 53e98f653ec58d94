-- RECIPIENT_DOMAINS adds the outcome 'recipient_not_allowed' (21 characters): the column was VARCHAR(20).
ALTER TABLE file_events ALTER COLUMN outcome TYPE VARCHAR(32);
