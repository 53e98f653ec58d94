package io.ingestnotify.support;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.ingestnotify.config.IngestNotifyConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** The whole bundle as users run it (Camel Main, YAML routes, application.properties), with test overrides. */
public final class RunningApp implements AutoCloseable {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private final Main main;
    private final Map<String, String> properties;

    public RunningApp(Map<String, String> properties) throws Exception {
        this(properties, Map.of());
    }

    /** With beans bound before start (a test's java.time.Clock, which the bean factory takes instead of the system's). */
    public RunningApp(Map<String, String> properties, Map<String, Object> beans) throws Exception {
        this.properties = new LinkedHashMap<>(properties);
        this.properties.putIfAbsent("camel.main.name", "ingest-notify-test-" + COUNT.incrementAndGet());
        main = new Main();
        main.configure().addConfiguration(IngestNotifyConfiguration.class);
        this.properties.forEach(main::addOverrideProperty);
        beans.forEach(main::bind);
        try {
            main.start();
        } catch (Exception | Error e) {
            main.stop();
            throw e;
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    public Map<String, String> properties() {
        return properties;
    }

    /**
     * Stops the app. A stop that takes longer than a minute prints every thread's stack once (to the test's output):
     * a hang in shutdown is rare and gone by the time anyone looks, so it must leave its stacks behind.
     */
    @Override
    public void close() {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(Duration.ofMinutes(1).toMillis());
            } catch (InterruptedException e) {
                return;
            }
            StringBuilder dump = new StringBuilder("RunningApp.close() still running after 1 min; threads:\n");
            for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                dump.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState())
                        .append(t.getLockName() == null ? "" : " on " + t.getLockName()).append('\n');
                for (StackTraceElement e : t.getStackTrace()) {
                    dump.append("\t\tat ").append(e).append('\n');
                }
            }
            System.err.println(dump);
        }, "running-app-close-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            main.stop();
        } finally {
            watchdog.interrupt();
        }
    }
}
