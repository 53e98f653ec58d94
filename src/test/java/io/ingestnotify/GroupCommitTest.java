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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import io.ingestnotify.support.TcpProxy;
import io.ingestnotify.support.TestPostgres;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Group commit of the HTTP intake: concurrent requests are filed in one transaction and each gets its own answer. The
 * window is a minute and a group is exactly {@value #GROUP} events, so every group here is made of {@value #GROUP}
 * one-event requests whatever the machine's speed; the database sits behind a TCP proxy the test can cut.
 */
class GroupCommitTest extends AppTestSupport {

    private static final int GROUP = 10;
    private static final ExecutorService CLIENTS = Executors.newFixedThreadPool(GROUP);
    /** Set by a test: the next group's transaction finds the database cut off just before it starts. */
    private static final AtomicBoolean CUT_NEXT_GROUP = new AtomicBoolean();
    /** Events per filing of route intake, in order: a whole group, or a request filed alone. */
    private static final List<Integer> FILINGS = java.util.Collections.synchronizedList(new ArrayList<>());
    private static TcpProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new TcpProxy("127.0.0.1", TestPostgres.port());
        startApp(Map.of("ingest-notify.db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + TestPostgres.database(),
                "ingest-notify.intake.group.window.ms", "60000", "ingest-notify.intake.group.max.events", String.valueOf(GROUP),
                "ingest-notify.http.worker.threads", "32"));
        AdviceWith.adviceWith(app.context(), "ingest-notify-intake", a -> a.weaveByToString(".*ingestNotifyIntakeTransaction.*commit.*").before()
                .process(exchange -> {
                    FILINGS.add(exchange.getMessage().getBody(List.class).size());
                    if (CUT_NEXT_GROUP.getAndSet(false)) {
                        proxy.cut();
                    }
                }));
    }

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
        proxy.close();
    }

    @BeforeEach
    void reset() {
        FILINGS.clear();
    }

    /** {@value #GROUP} requests at once, one event each; their answers in the order of {@code docs}. */
    private static List<HttpResponse<String>> postTogether(String user, List<String> eventIds, List<String> docs) throws Exception {
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            String body = event(eventIds.get(i), docs.get(i), "success", user, 1, 2, docs.get(i) + ".pdf");
            answers.add(CLIENTS.submit((Callable<HttpResponse<String>>) () -> post("/api/events", body)));
        }
        List<HttpResponse<String>> done = new ArrayList<>();
        for (Future<HttpResponse<String>> f : answers) {
            done.add(f.get());
        }
        return done;
    }

    private static List<String> names(String prefix) {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < GROUP; i++) {
            docs.add(prefix + "-" + i);
        }
        return docs;
    }

    private static List<String> newEventIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < GROUP; i++) {
            ids.add(newEventId());
        }
        return ids;
    }

    @Test
    void concurrentRequestsAreFiledInOneTransactionEachWithItsOwnAnswer() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(100, 600, "html", true, true, true));
        List<String> docs = names("gc-ok");
        List<String> ids = newEventIds();
        // One request repeats another's event: the group files it once, and that request alone hears "duplicate".
        ids.set(GROUP - 1, ids.get(0));

        List<HttpResponse<String>> answers = postTogether(user, ids, docs);

        assertThat(FILINGS).containsExactly(GROUP);
        AtomicInteger duplicates = new AtomicInteger();
        for (HttpResponse<String> r : answers) {
            assertThat(r.statusCode()).isEqualTo(202);
            JsonNode a = Json.parse(r.body());
            assertThat(a.path("accepted").asInt() + a.path("duplicates").asInt()).as(r.body()).isEqualTo(1);
            duplicates.addAndGet(a.path("duplicates").asInt());
            if (a.path("accepted").asInt() == 1) {
                assertThat(a.path("batches")).hasSize(1);
            }
        }
        assertThat(duplicates.get()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM file_events WHERE user_email = ?", user)).isEqualTo(GROUP - 1);
        assertThat(count("SELECT count(DISTINCT batch_id) FROM batch_files WHERE file_document_id LIKE 'gc-ok-%'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id LIKE 'gc-ok-%'")).isEqualTo(GROUP - 1);
        assertThat(getHttp("/observe/metrics").body().lines()).anyMatch(l -> l.matches("ingest_intake_group_requests_max " + GROUP + "(\\.0)?"));
    }

    @Test
    void dataTheDatabaseRefusesFailsOnlyItsOwnRequest() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(100, 600, "html", true, true, true));
        List<String> docs = names("gc-mixed");
        docs.set(3, "gc-poison");
        execute("ALTER TABLE batch_files ADD CONSTRAINT gc_no_poison CHECK (file_name <> 'gc-poison.pdf')");
        List<HttpResponse<String>> answers;
        try {
            answers = postTogether(user, newEventIds(), docs);
        } finally {
            execute("ALTER TABLE batch_files DROP CONSTRAINT gc_no_poison");
        }

        // The group failed whole, then each request was filed alone.
        assertThat(FILINGS).hasSize(1 + GROUP).startsWith(GROUP).containsOnly(GROUP, 1);
        for (int i = 0; i < GROUP; i++) {
            HttpResponse<String> r = answers.get(i);
            if (i == 3) {
                assertThat(r.statusCode()).isEqualTo(400);
                assertThat(Json.parse(r.body()).path("error").asText()).contains("refused by the database").contains("gc_no_poison");
            } else {
                assertThat(r.statusCode()).as(docs.get(i)).isEqualTo(202);
                assertThat(Json.parse(r.body()).path("accepted").asInt()).isEqualTo(1);
            }
        }
        assertThat(count("SELECT count(*) FROM file_events WHERE file_document_id = 'gc-poison'")).isZero();
        assertThat(rows("SELECT file_document_id, count(*) AS n FROM batch_files WHERE file_document_id LIKE 'gc-mixed-%' "
                + "GROUP BY file_document_id")).hasSize(GROUP - 1).allSatisfy(row -> assertThat(row.get("n")).isEqualTo(1L));
    }

    @Test
    void anOutageMidGroupAnswersEveryRequest503AndTheRetryFilesEachOnce() throws Exception {
        String user = newUser();
        stubPreferences(1, 2, user, prefs(100, 600, "html", true, true, true));
        List<String> docs = names("gc-cut");
        List<String> ids = newEventIds();

        CUT_NEXT_GROUP.set(true);
        List<HttpResponse<String>> refused;
        try {
            refused = postTogether(user, ids, docs);
        } finally {
            proxy.restore();
        }
        assertThat(FILINGS).containsExactly(GROUP); // an outage is everyone's: no request was filed again alone
        for (HttpResponse<String> r : refused) {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(r.body()).contains("database unavailable");
        }
        assertThat(count("SELECT count(*) FROM file_events WHERE user_email = ?", user)).isZero();
        assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id LIKE 'gc-cut-%'")).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> getHttp("/observe/health").statusCode() == 200);

        // The clients retry the same events: filed once each.
        List<HttpResponse<String>> retried = postTogether(user, ids, docs);
        assertThat(retried).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(202));
        assertThat(count("SELECT count(*) FROM file_events WHERE user_email = ?", user)).isEqualTo(GROUP);
        assertThat(count("SELECT count(*) FROM batch_files WHERE file_document_id LIKE 'gc-cut-%'")).isEqualTo(GROUP);
    }
}
