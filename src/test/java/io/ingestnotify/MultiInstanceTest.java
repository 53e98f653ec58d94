package io.ingestnotify;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.CountingS3;
import io.ingestnotify.support.FlakySmtp;
import io.ingestnotify.support.InstanceJvms;
import io.ingestnotify.support.LoadUsers;
import io.ingestnotify.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.ingestnotify.support.InstanceJvms.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances (separate JVMs) on one database, under load, with a kill -9 of one of them in the middle and its
 * restart: 5,000 events from 50 users, half over HTTP spread across the instances (a failed request goes to the next
 * one, as behind a load balancer), half through the outbox table; an SMTP server refusing (451) the first attempts of
 * some recipients' digests, so digests are mid-retry when the instance holding them dies. Then every event is in
 * exactly one batch, every batch completes, the SMTP server accepted exactly one mail per batch, and every correction
 * task ran each of its deletes once (counted at S3Proxy and in WireMock's journal).
 *
 * <p>No delete or mail is in flight on the victim at the instant of the kill, by construction: a delete or a mail the
 * server has carried out but the dead sender never recorded would be done again by the instance that takes over (an
 * idempotent delete, a mail twice), and no lease can prevent that. So failed events (corrections) come after the
 * kill, and the victim's SMTP sessions are held before the server's answer to DATA until every mail the server
 * accepted from it is recorded as sent; the ones held when it dies are never accepted, as with any SMTP server.
 */
class MultiInstanceTest extends AppTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(MultiInstanceTest.class);
    private static final String BUCKET = "pipeline-files";
    private static final int USERS = 50;
    private static final int PER_USER = 100;
    private static final LoadUsers LOAD = new LoadUsers("multi", "m", USERS, PER_USER, 81, 82, k -> k >= 50 && k % 10 == 7);
    private static final int VICTIM = 1;
    private static final int FLAKY_USERS = 10;

    private final String[] ids = {"node-1", "node-2", "node-3"};
    private FlakySmtp mail;
    private CountingS3 s3;
    private InstanceJvms nodes;

    @AfterEach
    void stopAll() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static String user(int u) {
        return LOAD.user(u);
    }

    private static boolean failing(int k) {
        return LOAD.failing(k);
    }

    private static String doc(int u, int k) {
        return LOAD.doc(u, k);
    }

    @Test
    void threeInstancesKillDashNineEveryPieceOfWorkOnce() throws Exception {
        nodes = new InstanceJvms("multi", 6, BUCKET, LOAD.firstUsers(FLAKY_USERS), i -> Map.of("SMTP_TIMEOUT_MS", "60000",
                "OUTBOX_CLAIM_LEASE_SECONDS", "10", "S3_ENDPOINT", s3.endpoint()));
        mail = nodes.mail();
        s3 = nodes.s3();
        LOAD.seed(s3, BUCKET, 20);

        long started = System.nanoTime();
        nodes.startAll(ids);
        LOG.info("Three instances up after {} s", seconds(started));

        // Phase 1: half the events (k < 50), no failures; HTTP arrays round-robin, outbox rows in groups.
        ExecutorService clients = Executors.newFixedThreadPool(3);
        load(clients, 0, 50);
        LOG.info("Phase 1 sent after {} s", seconds(started));

        // The victim holds digests mid-retry (refused, waiting out their back-off) when it dies.
        await("node-2 holds a digest mid-retry").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT count(*) FROM email_notification_log WHERE lease_owner = ? AND send_status = 'retrying'",
                        ids[VICTIM]) > 0);
        int victimSmtp = mail.port(VICTIM);
        mail.hold(victimSmtp);
        await("every mail accepted from node-2 recorded as sent").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> mail.acceptedOn(victimSmtp).stream().allMatch(InstanceJvms::recordedSent));
        nodes.process(VICTIM).destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no graceful stop
        long killedAt = System.nanoTime();
        List<String> heldByVictim = rows("SELECT batch_id::text AS b FROM email_notification_log WHERE lease_owner = ? "
                + "AND send_status IN ('pending', 'retrying')", ids[VICTIM]).stream().map(r -> (String) r.get("b")).toList();
        LOG.info("Killed node-2 after {} s holding digests {}", seconds(started), heldByVictim);
        assertThat(heldByVictim).isNotEmpty();
        mail.release(victimSmtp); // its held sessions saw their sender die: never accepted

        // Phase 2a while node-2 is down (its share of HTTP fails over); then it restarts under a new id; phase 2b.
        load(clients, 50, 75);
        await("the dead instance's digests taken over and sent").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> heldByVictim.stream().allMatch(InstanceJvms::recordedSent));
        LOG.info("node-2's digests sent by the others {} s after the kill", seconds(killedAt));
        ids[VICTIM] = "node-2-restarted";
        nodes.start(VICTIM, ids[VICTIM]);
        nodes.awaitHealthy(VICTIM);
        LOG.info("node-2 restarted after {} s", seconds(started));
        load(clients, 75, 100);
        clients.shutdown();
        LOG.info("All {} events sent after {} s", USERS * PER_USER, seconds(started));

        // Every event filed once; every batch completed and mailed; every correction finished.
        int failures = USERS * 5;
        LOAD.awaitAllDone(Duration.ofSeconds(90), failures);
        LOG.info("All work done after {} s", seconds(started));

        assertThat(count("SELECT count(*) FROM batch_files")).isEqualTo(USERS * PER_USER);
        assertThat(count("SELECT count(DISTINCT file_document_id) FROM batch_files")).isEqualTo(USERS * PER_USER);
        assertThat(count("SELECT sum(total_files) FROM batch_processing_sessions")).isEqualTo(USERS * PER_USER);
        for (int u = 0; u < USERS; u++) {
            assertThat(count("SELECT count(*) FROM batch_files f JOIN batch_processing_sessions b USING (batch_id) "
                    + "WHERE b.user_email = ?", user(u))).as(user(u)).isEqualTo(PER_USER);
        }

        // At the SMTP server: exactly one accepted mail per batch, none for anything else.
        Set<String> batches = LoadUsers.assertOneMailPerBatch(mail);
        assertThat(mail.refused()).isGreaterThan(0);
        // The dead instance's digests were finished by the others.
        assertThat(rows("SELECT lease_owner FROM email_notification_log WHERE batch_id::text = ANY(?)",
                (Object) heldByVictim.toArray(new String[0])).stream().map(r -> r.get("lease_owner")))
                .doesNotContain("node-2");

        // Each correction task's deletes ran once: at S3Proxy and in the CMS's journal.
        Map<String, Long> cmsDeletes = LOAD.assertEachCorrectionDeletedOnce(s3, BUCKET, failures);
        assertThat(cmsDeletes).hasSize(failures);
        // All three instances took work; the restarted one too.
        assertThat(count("SELECT count(DISTINCT claimed_by) FROM file_events WHERE claimed_by IS NOT NULL")).isGreaterThanOrEqualTo(3);
        LOG.info("Batches {}, mails accepted {}, refusals {}, corrections {}; {} s in all", batches.size(),
                mail.acceptedByBatch().size(), mail.refused(), failures, seconds(started));
    }

    /**
     * Events k in [from, to) of every user: even k over HTTP (arrays of 50, round-robin), odd k into the outbox. While
     * the victim lives (the first half), the flaky users' events all go to it over HTTP, so it is the one completing
     * their batches and sending (retrying) their digests when it dies.
     */
    private void load(ExecutorService clients, int from, int to) throws Exception {
        List<String> http = new ArrayList<>();
        List<String> toVictim = new ArrayList<>();
        List<Object[]> outbox = new ArrayList<>();
        for (int k = from; k < to; k++) {
            for (int u = 0; u < USERS; u++) {
                if (u < FLAKY_USERS && to <= 50) {
                    toVictim.add(eventJson(u, k));
                } else if (k % 2 == 0) {
                    http.add(eventJson(u, k));
                } else {
                    outbox.add(new Object[] {LOAD.eventId(u, k), doc(u, k), failing(k) ? "failed" : "success", user(u),
                            LOAD.company(), LOAD.bot(), doc(u, k) + ".pdf", "files/" + doc(u, k) + ".pdf",
                            failing(k) ? "Processing failed: parser crashed" : null});
                }
            }
        }
        List<Future<?>> sent = new ArrayList<>();
        int groups = (http.size() + 49) / 50;
        int outboxPerGroup = (outbox.size() + Math.max(1, groups) - 1) / Math.max(1, groups);
        for (int i = 0; i < Math.max(groups, (toVictim.size() + 49) / 50); i++) {
            if (i * 50 < http.size()) {
                String body = "[" + String.join(",", http.subList(i * 50, Math.min(http.size(), (i + 1) * 50))) + "]";
                int first = i % 3;
                sent.add(clients.submit(() -> {
                    postAnywhere(body, first);
                    return null;
                }));
            }
            if (i * 50 < toVictim.size()) {
                String body = "[" + String.join(",", toVictim.subList(i * 50, Math.min(toVictim.size(), (i + 1) * 50))) + "]";
                sent.add(clients.submit(() -> {
                    postAnywhere(body, VICTIM);
                    return null;
                }));
            }
            if (i * outboxPerGroup < outbox.size()) {
                insertOutbox(outbox.subList(i * outboxPerGroup, Math.min(outbox.size(), (i + 1) * outboxPerGroup)));
            }
        }
        for (Future<?> f : sent) {
            f.get(120, TimeUnit.SECONDS);
        }
    }

    private static String eventJson(int u, int k) {
        return LOAD.eventJson(u, k);
    }

    private void insertOutbox(List<Object[]> group) throws Exception {
        if (group.isEmpty()) {
            return;
        }
        try (Connection c = TestPostgres.connect(schema); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO file_events (event_id, file_document_id, status, user_email, company_id, bot_id, file_name, "
                        + "storage_key, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Object[] row : group) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * As a load balancer would: the next instance when one does not answer or answers 503 (events are idempotent);
     * after every instance refused, the client backs off half a second and tries them all again.
     */
    private void postAnywhere(String body, int first) {
        await("an instance takes the request").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> postRound(body, first));
    }

    /** One try at each instance, from {@code first}: true when one accepted the events. */
    private boolean postRound(String body, int first) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            int node = (first + attempt) % 3;
            try {
                HttpResponse<String> r = nodes.postEvents(node, body);
                if (r.statusCode() / 100 == 2) {
                    return true;
                }
                assertThat(r.statusCode()).as(r.body()).isGreaterThanOrEqualTo(500);
            } catch (java.io.IOException e) {
                // that instance is down: the next one
            }
        }
        return false;
    }
}
