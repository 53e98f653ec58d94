-- Serialises, per recipient, every decision to send, hold or fold a digest (until the transaction ends): two instances
-- completing batches for one address never both spend the last digest of the budget or hold two digests.
SELECT pg_advisory_xact_lock(17, hashtext(? || ':' || ? || ':' || lower(?)))
