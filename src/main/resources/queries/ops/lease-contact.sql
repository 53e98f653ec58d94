-- The heartbeat's contact with PostgreSQL when this instance holds nothing to renew (ClaimGate: an instance that
-- could not reach the database for a lease period takes no new work until it has).
SELECT 1
