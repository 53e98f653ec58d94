-- Tables of camel-sql's JdbcAggregationRepository (repositoryName = batch_aggregation).
CREATE TABLE batch_aggregation (
    id VARCHAR(255) NOT NULL,
    exchange BYTEA NOT NULL,
    version BIGINT NOT NULL,
    CONSTRAINT batch_aggregation_pk PRIMARY KEY (id)
);
CREATE TABLE batch_aggregation_completed (
    id VARCHAR(255) NOT NULL,
    exchange BYTEA NOT NULL,
    version BIGINT NOT NULL,
    CONSTRAINT batch_aggregation_completed_pk PRIMARY KEY (id)
);
