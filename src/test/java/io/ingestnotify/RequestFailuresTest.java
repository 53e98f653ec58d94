package io.ingestnotify;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import io.ingestnotify.intake.RequestFailure;
import io.ingestnotify.intake.RequestFailures;
import io.ingestnotify.support.TestPostgres;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safety net behind the parser: errors real PostgreSQL raises, sorted into outage (503 + Retry-After), refused
 * data (400 naming the field), misconfiguration and the rest (500 with an error id). Never "unavailable" for data.
 */
class RequestFailuresTest {

    static String schema;
    static final RequestFailures FAILURES = new RequestFailures(5);

    @BeforeAll
    static void schema() throws SQLException {
        schema = TestPostgres.newSchema();
        try (Connection c = TestPostgres.connect(null)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
            c.createStatement().execute("CREATE TABLE " + schema + ".t (user_email varchar(255), occurred_at timestamp, n int, s text)");
        }
    }

    @AfterAll
    static void drop() {
        TestPostgres.dropSchema(schema);
    }

    static SQLException raised(String sql, Object value) {
        try (Connection c = TestPostgres.connect(schema); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, value);
            ps.execute();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("no error from " + sql);
    }

    static RequestFailure answer(Throwable t) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, t);
        return FAILURES.answer(exchange);
    }

    @Test
    void refusedDataIsA400NamingTheField() {
        RequestFailure tooLong = answer(raised("INSERT INTO t (user_email) VALUES (?)", "a".repeat(300)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).containsEntry("field", "user_email");
        assertThat(tooLong.retryAfterSeconds()).isNull();

        RequestFailure year = answer(raised("INSERT INTO t (occurred_at) VALUES (CAST(? AS timestamp))", "300000-01-01 00:00:00"));
        assertThat(year.status()).isEqualTo(400);
        assertThat(year.body()).containsEntry("field", "occurred_at");

        RequestFailure nul = answer(raised("INSERT INTO t (s) VALUES (?)", "a\u0000b"));
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.body()).containsEntry("field", "body");

        // Wrapped as the camel-sql look-up route hands it back through a ProducerTemplate.
        RequestFailure wrapped = answer(new CamelExecutionException("failed", null,
                raised("INSERT INTO t (n) VALUES (CAST(? AS int))", "99999999999")));
        assertThat(wrapped.status()).isEqualTo(400);
        assertThat(wrapped.body().toString()).doesNotContain("unavailable");
    }

    @Test
    void aGroupThatGaveNoAnswerInTimeIsA503WithRetryAfter() {
        RequestFailure late = answer(new io.ingestnotify.intake.GroupTimeout(120));
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.retryAfterSeconds()).isEqualTo(5);
        assertThat(late.body().get("error").toString()).contains("retry later", "duplicates");
    }

    @Test
    void onlyAConnectionFailureIsA503WithRetryAfter() {
        SQLException refused;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "postgres", "")) {
            throw new AssertionError("connected to port 1");
        } catch (SQLException e) {
            refused = e;
        }
        assertThat(refused.getSQLState()).startsWith("08");
        RequestFailure outage = answer(refused);
        assertThat(outage.status()).isEqualTo(503);
        assertThat(outage.retryAfterSeconds()).isEqualTo(5);

        RequestFailure poolTimeout = answer(new RuntimeException(new SQLTransientConnectionException("pool - Connection is not available, request timed out after 30000ms")));
        assertThat(poolTimeout.status()).isEqualTo(503);
    }

    @Test
    void misconfigurationAndAnythingElseAreA500WithAnErrorId() {
        RequestFailure missing = answer(raised("SELECT * FROM files WHERE document_id = ?", "d"));
        assertThat(missing.status()).isEqualTo(500);
        assertThat(missing.retryAfterSeconds()).isNull();
        assertThat((String) missing.body().get("error_id")).matches("[0-9a-f]{8}");

        RequestFailure bug = answer(new IllegalStateException("boom"));
        assertThat(bug.status()).isEqualTo(500);
        assertThat(bug.body().get("error").toString()).contains((String) bug.body().get("error_id"));
    }
}
