package io.ingestnotify.embedded;

import java.io.File;
import java.io.IOException;

import org.apache.camel.support.service.ServiceSupport;

/** A PostgreSQL server run from zonky's binaries, for the embedded default and for tests on a machine without one. */
public class EmbeddedPostgres extends ServiceSupport {

    private final File dataDir;
    private final int port;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    /** @param dataDir kept between runs when given (so a restart keeps its batches); a temporary one when null */
    public EmbeddedPostgres(File dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    @Override
    protected void doStart() throws IOException {
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder();
        if (dataDir != null) {
            dataDir.mkdirs();
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        if (port > 0) {
            builder.setPort(port);
        }
        server = builder.start();
    }

    @Override
    protected void doStop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres";
    }

    public int port() {
        return server.getPort();
    }
}
