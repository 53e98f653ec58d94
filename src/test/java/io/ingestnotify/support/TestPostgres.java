package io.ingestnotify.support;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import io.ingestnotify.embedded.EmbeddedPostgres;





/**
 * The PostgreSQL the tests run against: the machine's own on 127.0.0.1:5432 (database test) when it answers,
 * otherwise an embedded one started once per JVM. Each test class works in a schema of its own.
 */
public final class TestPostgres {

    private static String url;

    private TestPostgres() {
    }

    public static synchronized String url() {
        if (url == null) {
            if (reachable("127.0.0.1", 5432) && canConnect("jdbc:postgresql://127.0.0.1:5432/test")) {
                url = "jdbc:postgresql://127.0.0.1:5432/test";
            } else {
                EmbeddedPostgres pg = new EmbeddedPostgres(null, 0);
                pg.start();
                Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
                url = pg.jdbcUrl();
            }
        }
        return url;
    }

    public static int port() {
        String u = url();
        String hostPort = u.substring("jdbc:postgresql://".length(), u.lastIndexOf('/'));
        return Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
    }

    public static String database() {
        return url().substring(url().lastIndexOf('/') + 1);
    }

    public static String newSchema() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static Connection connect(String schema) throws SQLException {
        Connection c = DriverManager.getConnection(url(), "postgres", "");
        c.createStatement().execute("SET TIME ZONE 'UTC'");
        if (schema != null) {
            c.setSchema(schema);
        }
        return c;
    }

    public static void dropSchema(String schema) {
        try (Connection c = connect(null)) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            // best effort: a leftover schema is harmless
        }
    }

    private static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean canConnect(String jdbc) {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
