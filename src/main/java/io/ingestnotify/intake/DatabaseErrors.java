package io.ingestnotify.intake;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;


/**
 * Sorts a failure by what the database said, walking the cause chain: an outage (retry later), data the database
 * refused (the sender's fault), a misconfiguration (ours, to fix once), or anything else.
 */
public final class DatabaseErrors {

    enum Kind {
        /** Could not reach or use the database right now: SQLState class 08, 53, 57P01-03, a pool timeout. */
        OUTAGE,
        /** SQLState class 22 (data exception) or 23 (integrity): this data, not the database, is the problem. */
        BAD_DATA,
        /** SQLState class 42 or 3F: a table, column or schema the configuration expects is missing. */
        MISCONFIGURED,
        /** Not a database error, or one no rule above covers. */
        OTHER
    }

    private DatabaseErrors() {
    }

    static Kind kind(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            // HikariCP's "Connection is not available, request timed out" and the driver's closed connection.
            if (c instanceof SQLTransientConnectionException || c instanceof SQLNonTransientConnectionException
                    || c.getClass().getName().equals("org.springframework.jdbc.CannotGetJdbcConnectionException")) {
                return Kind.OUTAGE;
            }
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                return kind(sql.getSQLState());
            }
        }
        return Kind.OTHER;
    }

    static Kind kind(String state) {
        if (state.startsWith("08") || state.startsWith("53") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03")
                // Deadlock / serialisation failure that outlived the intake's redeliveries: contention, transient.
                || state.equals("40001") || state.equals("40P01")) {
            return Kind.OUTAGE;
        }
        if (state.startsWith("22") || state.startsWith("23")) {
            return Kind.BAD_DATA;
        }
        if (state.startsWith("42") || state.startsWith("3F")) {
            return Kind.MISCONFIGURED;
        }
        return Kind.OTHER;
    }

    /** Data the database refused (SQLState class 22 or 23): the sender's, to the dead letter, never retried. */
    public static boolean refusedData(Exception t) {
        return kind(t) == Kind.BAD_DATA;
    }

    /** Anything but data the database refused: an outage, a lost race, a misconfiguration, a bug; retried, never dead-lettered. */
    public static boolean notRefusedData(Exception t) {
        return kind(t) != Kind.BAD_DATA;
    }

    /**
     * A transaction that lost a race with another (serialization failure or deadlock, SQLState 40001 / 40P01): the
     * ingest-notify-intake routes commit the group again (onWhen of their redelivery).
     */
    public static boolean lostRace(Exception t) {
        SQLException sql = sqlException(t);
        return sql != null && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()));
    }

    /** The first SQLException of the chain (a JDBC batch's own error, not its wrapper quoting the SQL), or null. */
    static SQLException sqlException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                return sql instanceof java.sql.BatchUpdateException && sql.getNextException() != null ? sql.getNextException() : sql;
            }
        }
        return null;
    }

    /** The database's own message, first line only (the driver appends Detail lines that may quote row values). */
    static String message(Throwable t) {
        SQLException sql = sqlException(t);
        String m = sql != null ? sql.getMessage() : String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        m = (nl >= 0 ? m.substring(0, nl) : m).trim();
        return m.startsWith("ERROR: ") ? m.substring(7) : m;
    }

    /**
     * The event field a refused value most likely came from, or "body". PostgreSQL rarely names the column of a data
     * exception, so the message's type is used: only user_email is varchar(255) and only occurred_at a timestamp.
     */
    static String field(Throwable t) {
        SQLException sql = sqlException(t);
        if (sql == null) {
            return "body";
        }
        String state = sql.getSQLState();
        String m = String.valueOf(sql.getMessage());
        if (state.equals("22001") && m.contains("character varying(255)")) {
            return "user_email";
        }
        if (state.equals("22008") || state.equals("22007") || m.contains("timestamp")) {
            return "occurred_at";
        }
        return "body";
    }
}
