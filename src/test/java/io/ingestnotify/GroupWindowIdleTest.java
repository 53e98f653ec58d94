package io.ingestnotify;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.ingestnotify.intake.GroupWindowTimer;
import io.ingestnotify.support.AppTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The group window's timeout checker runs only while a group is open: idle, it does not tick (Camel's own checker
 * ticks every millisecond for ever), and a lone request is still answered when its window ends. A group is at most
 * {@value #GROUP} events; the window is long enough that {@value #GROUP} concurrent requests always fill one group.
 */
class GroupWindowIdleTest extends AppTestSupport {

    private static final int GROUP = 5;
    private static final ExecutorService CLIENTS = Executors.newFixedThreadPool(GROUP);
    private static GroupWindowTimer timer;

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of("ingest-notify.intake.group.window.ms", "300",
                "ingest-notify.intake.group.max.events", String.valueOf(GROUP)));
        timer = app.context().getRegistry().lookupByNameAndType("ingestNotifyIntakeGroupTimer", GroupWindowTimer.class);
    }

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    @Test
    void theCheckerTicksOnlyWhileAGroupIsOpen() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(100, 600, "html", true, true, true));
        assertIdle();

        // A lone request: its group completes by the window alone, so the checker must have run.
        long before = timer.checks();
        HttpResponse<String> lone = post("/api/events", event(newEventId(), "idle-lone", "success", user, 1, 2, "idle-lone.pdf"));
        assertThat(lone.statusCode()).as(lone.body()).isEqualTo(202);
        assertThat(timer.checks()).isGreaterThan(before);
        assertIdle();

        // Concurrent requests still share a transaction.
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < GROUP; i++) {
            String body = event(newEventId(), "idle-crowd-" + i, "success", user, 1, 2, "idle-crowd-" + i + ".pdf");
            answers.add(CLIENTS.submit((Callable<HttpResponse<String>>) () -> post("/api/events", body)));
        }
        for (Future<HttpResponse<String>> a : answers) {
            assertThat(a.get().statusCode()).isEqualTo(202);
        }
        assertThat(count("SELECT count(*) FROM file_events WHERE user_email = ?", user)).isEqualTo(1 + GROUP);
        double groups = metric("ingest_intake_group_requests_count");
        double requests = metric("ingest_intake_group_requests_sum");
        assertThat(requests).isEqualTo(1 + GROUP);
        assertThat(groups).isLessThan(requests);
        assertIdle();
    }

    /** No group open: the checker's run count does not move. */
    private static void assertIdle() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !timer.ticking());
        long now = timer.checks();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(timer::checks, c -> c == now);
    }

    private static double metric(String name) throws Exception {
        return getHttp("/observe/metrics").body().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1))).findFirst().orElseThrow();
    }
}
