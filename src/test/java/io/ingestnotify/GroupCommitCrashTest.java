package io.ingestnotify;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.InstanceJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of an instance while its clients' requests wait in groups: no request was answered 202 for an event that is
 * not in PostgreSQL (an answer leaves only after the commit that holds its events).
 */
class GroupCommitCrashTest extends AppTestSupport {

    private static final int CLIENTS = 16;
    private InstanceJvms nodes;

    @AfterEach
    void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void killedMidGroupItAnsweredNothingItHadNotFiled() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(100, 600, "html", true, true, true));
        nodes = new InstanceJvms("group-crash", 30, "group-crash", Set.of(), i -> Map.of("S3_ENDPOINT", nodes.s3().endpoint(),
                // A long window and groups of 40: at the kill, requests are sure to be waiting in a group.
                "INTAKE_GROUP_WINDOW_MS", "200", "INTAKE_GROUP_MAX_EVENTS", "40"));
        nodes.start(0, "group-crash-1");
        nodes.awaitHealthy(0);

        Set<String> answered202 = ConcurrentHashMap.newKeySet();
        AtomicInteger unanswered = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<java.util.concurrent.Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            loops.add(clients.submit(() -> {
                for (int k = 0; running.get(); k++) {
                    String eventId = newEventId();
                    String doc = "crash-" + client + "-" + k;
                    try {
                        HttpResponse<String> r = nodes.postEvents(0, event(eventId, doc, "success", user, 1, 2, doc + ".pdf"));
                        if (r.statusCode() == 202) {
                            answered202.add(eventId);
                        }
                    } catch (Exception dead) {
                        unanswered.incrementAndGet();
                        return;
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> answered202.size() >= 200);
        nodes.process(0).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        running.set(false);
        for (var loop : loops) {
            loop.get(90, TimeUnit.SECONDS);
        }
        clients.shutdown();

        assertThat(unanswered.get()).as("requests in flight at the kill").isPositive();
        List<String> ids = List.copyOf(answered202);
        long filed = count("SELECT count(*) FROM file_events WHERE event_id = ANY (?)", (Object) ids.toArray(String[]::new));
        assertThat(filed).as("every event answered 202 is in PostgreSQL").isEqualTo(ids.size());
        assertThat(count("SELECT count(*) FROM batch_files bf JOIN file_events fe ON fe.id = bf.file_event_id "
                + "WHERE fe.event_id = ANY (?)", (Object) ids.toArray(String[]::new))).isEqualTo(ids.size());
    }
}
