-- Last statement of every chunk, before it commits: the pass is still this instance's. A chunk of a pass whose lease
-- was lost rolls back; FOR SHARE keeps another instance from claiming the row until the chunk has committed.
SELECT pass FROM retention_pass WHERE pass = ? AND lease_owner = ? AND lease_expires_at > now() FOR SHARE
