package io.ingestnotify.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ingestnotify.event.FileEvent;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User preferences from the CMS, cached per (company, bot, email); a leaf: route ingest-notify-preferences consults it and calls
 * the CMS (direct:ingest-notify-cms-preferences) when it says so. A value is fresh for the TTL; after it, the next caller fetches
 * it again while others keep using the stale value. A failed fetch keeps the stale value; with nothing cached it
 * yields the defaults (cached too, so an outage does not turn every event into a CMS timeout).
 * <p>
 * Single-flight stays here (concurrent misses for one key make one call): {@link #claim} lets one caller fetch and
 * makes the others wait in {@link #current} for its result. That waiting cannot move into the route without a lock
 * the route would have to release on every path, so it is the one piece of this leaf that blocks.
 */
public class PreferenceCache {

    private static final Logger LOG = LoggerFactory.getLogger(PreferenceCache.class);

    private record Entry(Preferences value, long fetchedAtNanos) {
    }

    private final Preferences defaults;
    private final long ttlNanos;
    private final long waitMillis;
    private final Cache<FileEvent.BatchKey, Entry> entries;
    private final Map<FileEvent.BatchKey, CompletableFuture<Preferences>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder cmsCalls = new LongAdder();
    private final LongAdder cmsFailures = new LongAdder();

    /** @param wait how long a caller waits for another's fetch of a key nothing is cached for (then: defaults) */
    public PreferenceCache(Preferences defaults, Duration ttl, Duration wait, long maxEntries) {
        this.defaults = defaults;
        this.ttlNanos = ttl.toNanos();
        this.waitMillis = wait.toMillis();
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    /** The keys among these whose value is missing or older than the TTL: the route fetches those. */
    public List<FileEvent.BatchKey> toFetch(@Header("preferenceKeys") Collection<FileEvent.BatchKey> keys) {
        List<FileEvent.BatchKey> stale = new ArrayList<>();
        for (FileEvent.BatchKey key : keys) {
            if (fresh(entries.getIfPresent(key))) {
                hits.increment();
            } else {
                misses.increment();
                stale.add(key);
            }
        }
        return stale;
    }

    private boolean fresh(Entry e) {
        return e != null && System.nanoTime() - e.fetchedAtNanos < ttlNanos;
    }

    /** True when this caller is to fetch the key: its value is not fresh and nobody else is fetching it. */
    public boolean claim(@Body FileEvent.BatchKey key) {
        if (fresh(entries.getIfPresent(key))) {
            return false;
        }
        return inFlight.putIfAbsent(key, new CompletableFuture<>()) == null;
    }

    /**
     * The CMS answered (route ingest-notify-cms-preferences: the user's preference fields, or null for a user without
     * a record): the preferences (fields it leaves out take the defaults) are cached and handed to waiters.
     */
    public Preferences fetched(@ExchangeProperty("preferencesKey") FileEvent.BatchKey key, @Body Map<?, ?> preferences) {
        cmsCalls.increment();
        return settle(key, Preferences.from(preferences, defaults));
    }

    /** The CMS call failed: the stale value, else the defaults, cached until the next fetch is due. */
    public Preferences fetchFailed(@ExchangeProperty("preferencesKey") FileEvent.BatchKey key, Exchange exchange) {
        cmsCalls.increment();
        cmsFailures.increment();
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable cause = error != null && error.getCause() != null ? error.getCause() : error;
        Entry stale = entries.getIfPresent(key);
        LOG.warn("Preferences for company {} bot {} unavailable from CMS ({}); using {} preferences",
                key.companyId(), key.botId(), cause == null ? "unknown error" : cause.getMessage(), stale != null ? "cached" : "default");
        return settle(key, stale != null ? stale.value() : defaults);
    }

    private Preferences settle(FileEvent.BatchKey key, Preferences value) {
        entries.put(key, new Entry(value, System.nanoTime()));
        CompletableFuture<Preferences> waiting = inFlight.remove(key);
        if (waiting != null) {
            waiting.complete(value);
        }
        return value;
    }

    /**
     * The value to use now, never calling the CMS: the cached one (stale too), else the result of a fetch in flight
     * (waited for), else the defaults.
     */
    public Preferences current(@Body FileEvent.BatchKey key) {
        Entry e = entries.getIfPresent(key);
        if (e != null) {
            return e.value();
        }
        CompletableFuture<Preferences> waiting = inFlight.get(key);
        if (waiting != null) {
            try {
                return waiting.get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException ex) {
                LOG.warn("Preferences for company {} bot {} still being fetched; using default preferences", key.companyId(), key.botId());
            }
        }
        return defaults;
    }

    public long cmsCalls() {
        return cmsCalls.sum();
    }

    /** Entries held (Caffeine's estimate): one per (company, bot, email) seen within the bound. */
    public long size() {
        return entries.estimatedSize();
    }

    public long cmsFailures() {
        return cmsFailures.sum();
    }

    /** Share of keys asked for that were fresh in the cache (no CMS call needed). */
    public double hitRatio() {
        long h = hits.sum();
        long total = h + misses.sum();
        return total == 0 ? 1.0 : (double) h / total;
    }

    public void invalidateAll() {
        entries.invalidateAll();
    }
}
