package io.ingestnotify.config;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/** The operational database: a HikariCP pool in UTC, migrated by Flyway from the top-level {@code sql/} folder. */
public final class Database {

    private Database() {
    }

    public static HikariDataSource pool(String url, String user, String password, String schema, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ingest-notify");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setSchema(schema);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        // Timestamps are written and compared in UTC whatever the host's zone.
        config.setConnectionInitSql("SET TIME ZONE 'UTC'");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("socketTimeout", "60");
        // Start even when PostgreSQL is down: intake then answers 503 and the poller retries until it is back.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    public static void migrate(DataSource dataSource, String schema) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                // Its own folder and history table: a host's Flyway (classpath:db/migration, flyway_schema_history)
                // never runs these scripts, and this one never sees or records the host's.
                .locations("classpath:ingest-notify/db/migration")
                .table("ingest_notify_schema_history")
                // A schema that already holds a host's tables has no history of ours yet: start ours before V1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
