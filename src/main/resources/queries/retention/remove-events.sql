-- Then the events themselves, in the same transaction.
DELETE FROM file_events WHERE id = ANY(?)
