package io.ingestnotify.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ingestnotify.common.BundleDatabase;
import io.ingestnotify.common.Jdbc;
import io.ingestnotify.common.Queries;
import io.ingestnotify.settings.Setting;
import io.ingestnotify.settings.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operational database: a HikariCP pool in UTC, migrated by Flyway from the top-level {@code sql/} folder. */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private Database() {
    }

    /**
     * Start-up step: the operational database, migrated. A pool of its own from DB_URL, opened now so a bad DB_*
     * setting stops start-up with its own message; or a host's DataSource bean (DB_BEAN), looked up on first use, for
     * a host may bind it after this step. Bound as a {@link BundleDatabase}, not as a DataSource, so a host's
     * components that autowire the one DataSource in the registry never get this one, nor lose theirs.
     */
    static Supplier<BundleDatabase> open(CamelContext context, Settings.Database db) throws Exception {
        if (!db.bean().isEmpty()) {
            BundleDatabase[] hosts = new BundleDatabase[1];
            return () -> {
                synchronized (hosts) {
                    if (hosts[0] == null) {
                        DataSource host = context.getRegistry().lookupByNameAndType(db.bean(), DataSource.class);
                        if (host == null) {
                            throw Setting.DB_BEAN.invalid(db.bean(), "the name of a DataSource bean in the registry");
                        }
                        migrate(host, db.schema());
                        LOG.info("Operational tables in {}'s database, schema {}", db.bean(), db.schema());
                        hosts[0] = new BundleDatabase(host);
                    }
                    return hosts[0];
                }
            };
        }
        HikariDataSource pool = pool(db.url(), db.user(), db.password(), db.schema(), db.poolSize());
        context.addService(new Closer(pool), true, true);
        migrate(pool, db.schema());
        BundleDatabase own = new BundleDatabase(pool);
        return () -> own;
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
        adoptEarlierHistory(dataSource, schema);
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

    /**
     * Versions before the guest mode kept their history in Flyway's default table ({@code flyway_schema_history}).
     * Such a database would otherwise be baselined at 0 and run V1 again over its tables, so its history is copied
     * once to the bundle's own table (and the old one left alone). A history without the bundle's V1 is a host's.
     */
    static void adoptEarlierHistory(DataSource dataSource, String schema) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Jdbc.rows(c, "config/search-path", schema);
                Map<String, Object> tables = Jdbc.rows(c, "config/schema-histories").get(0);
                if (!(Boolean) tables.get("own") && (Boolean) tables.get("default_named")
                        && (Boolean) Jdbc.rows(c, "config/default-history-is-ours").get(0).get("exists")) {
                    try (Statement st = c.createStatement()) {
                        st.execute(Queries.get("config/adopt-default-history"));
                    }
                    LOG.info("Schema {}: the bundle's Flyway history taken over from flyway_schema_history into "
                            + "ingest_notify_schema_history (the old table is left as it was)", schema);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the Flyway history of schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /** Closes the pool when the Camel context stops. */
    static final class Closer extends ServiceSupport {
        private final AutoCloseable resource;

        Closer(AutoCloseable resource) {
            this.resource = resource;
        }

        @Override
        protected void doStop() throws Exception {
            resource.close();
        }
    }
}
