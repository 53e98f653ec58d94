package io.ingestnotify.support;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** What the suite's Node.js servers (Chroma, Strapi, Directus) share: their folder under src/test, node on the PATH, a port. */
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

    /**
     * Waits until a started server answers ({@code up}); fails at once if its process exits, and after
     * {@code timeout} stops it ({@code stop}) and fails naming its log.
     */
    static void awaitUp(String name, String url, Process process, Path log, Duration timeout, Duration poll,
                        Callable<Boolean> up, Runnable stop) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(poll).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + log);
                }
                return up.call();
            });
        } catch (ConditionTimeoutException e) {
            stop.run();
            throw new IllegalStateException(name + " not up on " + url + " within " + timeout + ", see " + log);
        }
    }

    /** Ends a server's process tree (node starts children): politely, then forcibly; waits until all are gone. */
    static void stopTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.toHandle().descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle h : tree) {
                h.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a child that will not die is reported by the next start (port in use)
        }
    }
}
