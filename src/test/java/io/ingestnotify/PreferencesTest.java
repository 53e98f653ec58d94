package io.ingestnotify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.http.Fault;
import io.ingestnotify.batching.PreferenceCache;
import io.ingestnotify.batching.Preferences;
import io.ingestnotify.event.FileEvent;
import io.ingestnotify.support.AppTestSupport;
import io.ingestnotify.support.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Preferences from the CMS (route ingest-notify-preferences): bearer token, cache, one call per key, stale value or defaults when the CMS is down. */
class PreferencesTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(Map.of("ingest-notify.preferences.cache.ttl.seconds", "1", "ingest-notify.cms.timeout.ms", "500", "ingest-notify.default.batch.size.threshold", "2"));
    }

    private static PreferenceCache cache() {
        return app.bean("ingestNotifyPreferenceCache", PreferenceCache.class);
    }

    /** One key's preferences as intake gets them: route ingest-notify-preferences, in front of the cache and the CMS. */
    private static Preferences preferences(FileEvent.BatchKey key) {
        return app.context().createFluentProducerTemplate().to("direct:ingest-notify-preferences").withBody(key).request(Preferences.class);
    }

    @Test
    void fetchesWithBearerTokenAndCachesPerKey() {
        String user = newUser();
        stubPreferences(31, 32, user, prefs(9, 99, "text", true, false, true));
        FileEvent.BatchKey key = new FileEvent.BatchKey(31, 32, user);
        long entries = cache().size();

        Preferences p = preferences(key);
        preferences(key);
        preferences(key);

        assertThat(p).isEqualTo(new Preferences(true, 9, 99, "text", false, true));
        assertThat(cache().size()).as("one entry per key, whatever the calls").isEqualTo(entries + 1);
        String path = "/api/user-notification-preferences/by-user/31/32/" + user.replace("@", "%40");
        cms.verify(1, getRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer " + CMS_TOKEN)));
    }

    @Test
    void concurrentMissesForOneKeyMakeOneCall() throws Exception {
        String user = newUser();
        cms.stubFor(get(urlEqualTo("/api/user-notification-preferences/by-user/41/42/" + user.replace("@", "%40")))
                .willReturn(aResponse().withStatus(200).withFixedDelay(300).withHeader("Content-Type", "application/json")
                        .withBody(Json.write(Json.object("data", Json.parse(prefs(4, 10, "html", true, true, true)))))));
        FileEvent.BatchKey key = new FileEvent.BatchKey(41, 42, user);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Preferences>> calls = java.util.Collections.nCopies(16, () -> preferences(key));
            for (Future<Preferences> f : pool.invokeAll(calls)) {
                assertThat(f.get().batchSizeThreshold()).isEqualTo(4);
            }
        } finally {
            pool.shutdownNow();
        }
        cms.verify(1, getRequestedFor(urlPathMatching("/api/user-notification-preferences/by-user/41/42/.*")));
    }

    @Test
    void cmsDownGivesDefaultsWhenNothingIsCached() throws Exception {
        String user = newUser();
        cms.stubFor(get(urlEqualTo("/api/user-notification-preferences/by-user/51/52/" + user.replace("@", "%40")))
                .willReturn(aResponse().withStatus(500).withBody(Json.write(Json.object("error", Json.object("status", 500, "name", "InternalServerError"))))));

        // The batch still forms, with the default threshold (2 here) frozen in its snapshot, and mails.
        post("/api/events", Json.array(event(newEventId(), "d1", "success", user, 51, 52, "d1.pdf"),
                event(newEventId(), "d2", "success", user, 51, 52, "d2.pdf")));
        awaitMails(user, 1);
        assertThat(value("SELECT user_preferences_snapshot->>'batch_size_threshold' FROM batch_processing_sessions WHERE user_email = ?", user))
                .isEqualTo("2");
        assertThat(cache().cmsFailures()).isPositive();
    }

    @Test
    void cmsDownAfterwardsKeepsTheStaleCachedValue() {
        String user = newUser();
        String path = "/api/user-notification-preferences/by-user/61/62/" + user.replace("@", "%40");
        stubPreferences(61, 62, user, prefs(7, 20, "text", true, true, true));
        FileEvent.BatchKey key = new FileEvent.BatchKey(61, 62, user);
        assertThat(preferences(key).batchSizeThreshold()).isEqualTo(7);

        // Now the CMS breaks in every way: connection reset, then a timeout.
        cms.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        long failures = cache().cmsFailures();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            preferences(key); // after the TTL each read triggers a refresh, which fails
            return cache().cmsFailures() > failures;
        });
        assertThat(preferences(key).batchSizeThreshold()).isEqualTo(7);

        cms.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withFixedDelay(2000).withStatus(200)
                .withBody(Json.write(Json.object("data", Json.parse(prefs(1, 1, "html", true, true, true)))))));
        long failures2 = cache().cmsFailures();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            preferences(key);
            return cache().cmsFailures() > failures2;
        });
        assertThat(preferences(key).batchSizeThreshold()).isEqualTo(7);
    }
}
