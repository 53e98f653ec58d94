package io.ingestnotify;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import io.ingestnotify.config.Database;
import io.ingestnotify.support.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundle's Flyway history has its own table; a database an earlier version migrated keeps working. */
class SchemaHistoryTest {

    private final String schema = TestPostgres.newSchema();
    private final HikariDataSource pool = Database.pool(TestPostgres.url(), "postgres", "", schema, 2);

    @AfterEach
    void drop() {
        pool.close();
        TestPostgres.dropSchema(schema);
    }

    @Test
    void aDatabaseMigratedUnderFlywaysDefaultTableIsTakenOverNotMigratedAgain() throws Exception {
        // As an earlier version left it: every migration applied, history in flyway_schema_history.
        Flyway.configure().dataSource(pool).schemas(schema).defaultSchema(schema).createSchemas(true)
                .locations("classpath:ingest-notify/db/migration").load().migrate();
        long applied = count("SELECT count(*) FROM flyway_schema_history WHERE success");
        insertEvent("kept-1");

        Database.migrate(pool, schema);
        Database.migrate(pool, schema); // and again at the next start: nothing more to do

        assertThat(count("SELECT count(*) FROM ingest_notify_schema_history WHERE success")).isEqualTo(applied);
        assertThat(count("SELECT count(*) FROM ingest_notify_schema_history WHERE type = 'BASELINE'")).isZero();
        assertThat(count("SELECT count(*) FROM flyway_schema_history")).isEqualTo(applied);
        assertThat(count("SELECT count(*) FROM file_events WHERE event_id = 'kept-1'")).isEqualTo(1);
    }

    @Test
    void aHostsHistoryIsNeitherTakenOverNorTouched() throws Exception {
        try (Connection c = TestPostgres.connect(null); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE TABLE " + schema + ".host_things (id int)");
        }
        Flyway.configure().dataSource(pool).schemas(schema).defaultSchema(schema).baselineOnMigrate(true)
                .baselineVersion("7").locations("classpath:no-such-folder").load().migrate();
        long hostRows = count("SELECT count(*) FROM flyway_schema_history");

        Database.migrate(pool, schema);

        assertThat(count("SELECT count(*) FROM flyway_schema_history")).isEqualTo(hostRows);
        assertThat(count("SELECT count(*) FROM ingest_notify_schema_history WHERE script = 'V1__operational_tables.sql' AND success")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM file_events")).isZero();
    }

    private void insertEvent(String eventId) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO file_events (event_id, file_document_id, status) VALUES ('" + eventId + "', 'doc', 'success')");
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
