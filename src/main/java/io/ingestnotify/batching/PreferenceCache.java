package io.ingestnotify.batching;

import io.ingestnotify.config.Formats;
import io.ingestnotify.intake.FileEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User preferences from the CMS, cached per (company, bot, email).
 * Fresh for the TTL; after it, the next read serves the cached value and refreshes it in the background.
 * A failed CMS call keeps the stale value; with nothing cached it yields the defaults (cached too, so an outage
 * does not turn every event into a CMS timeout). Caffeine makes concurrent misses for one key share one call.
 */
public class PreferenceCache {

    private static final Logger LOG = LoggerFactory.getLogger(PreferenceCache.class);

    private final ProducerTemplate template;
    private final boolean cmsConfigured;
    private final Preferences defaults;
    private final LoadingCache<FileEvent.BatchKey, Preferences> cache;
    private final LongAdder cmsCalls = new LongAdder();
    private final LongAdder cmsFailures = new LongAdder();

    public PreferenceCache(ProducerTemplate template, String cmsApiUrl, Preferences defaults, Duration ttl, long maxEntries) {
        this.template = template;
        this.cmsConfigured = cmsApiUrl != null && !cmsApiUrl.isBlank();
        this.defaults = defaults;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .refreshAfterWrite(ttl)
                .recordStats()
                .build(new CacheLoader<>() {
                    @Override
                    public Preferences load(FileEvent.BatchKey key) {
                        return fetch(key, null);
                    }

                    @Override
                    public Preferences reload(FileEvent.BatchKey key, Preferences old) {
                        return fetch(key, old);
                    }
                });
    }

    public Preferences get(FileEvent.BatchKey key) {
        return cache.get(key);
    }

    private Preferences fetch(FileEvent.BatchKey key, Preferences stale) {
        if (!cmsConfigured) {
            return defaults;
        }
        cmsCalls.increment();
        try {
            String path = "/api/user-notification-preferences/by-user/" + key.companyId() + "/" + key.botId() + "/"
                    + Formats.pathSegment(key.userEmail());
            Map<?, ?> response = template.requestBodyAndHeader("direct:fetch-preferences", null, "preferencesPath", path, Map.class);
            Object data = response == null ? null : response.get("data");
            return Preferences.from(data instanceof Map<?, ?> m ? m : null, defaults);
        } catch (RuntimeException e) {
            cmsFailures.increment();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warn("Preferences for company {} bot {} unavailable from CMS ({}); using {} preferences",
                    key.companyId(), key.botId(), cause.getMessage(), stale != null ? "cached" : "default");
            return stale != null ? stale : defaults;
        }
    }

    public long cmsCalls() {
        return cmsCalls.sum();
    }

    public long cmsFailures() {
        return cmsFailures.sum();
    }

    public double hitRatio() {
        return cache.stats().hitRate();
    }

    public void invalidateAll() {
        cache.invalidateAll();
    }
}
