-- The outcomes of an intake group's outbox rows (and the reasons of contradicted HTTP events) in one statement.
UPDATE file_events f
   SET outcome = m.outcome, rejected_reason = m.rejected_reason
  FROM unnest(?::text[], ?::text[], ?::int[]) AS m(outcome, rejected_reason, id)
 WHERE f.id = m.id
