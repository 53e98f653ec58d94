-- The aggregator's repository is now batch_processing_sessions itself (BatchTableAggregationRepository);
-- camel-sql's JdbcAggregationRepository tables are no longer used.
DROP TABLE IF EXISTS batch_aggregation_completed;
DROP TABLE IF EXISTS batch_aggregation;
