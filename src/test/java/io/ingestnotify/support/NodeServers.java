package io.ingestnotify.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** What the suite's Node.js servers (Chroma, Strapi) share: their folder under src/test, node on the PATH, a port. */
final class NodeServers {

    private NodeServers() {
    }

    /** The npm project of a test server, e.g. {@code src/test/chroma}. */
    static Path dir(String name) {
        return Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("src/test").resolve(name);
    }

    static boolean nodeOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, "node"))) {
                return true;
            }
        }
        return false;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
