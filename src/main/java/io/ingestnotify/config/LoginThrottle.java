package io.ingestnotify.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Guessing a credential costs time: wrong credentials are counted per client address in a one-minute window that
 * opens with the address's first failure. Once AUTH_FAILURES_PER_MINUTE are counted, the address is refused (429)
 * on every credential-checked path until its window ends, a right credential included (otherwise the guessing goes
 * on and only the answer tells the guesser it won). Another address is not affected.
 * <p>
 * In memory, per instance: several instances each count their own share. The memory is bounded: at most
 * {@link #MAX_ADDRESSES} windows, each dropped two minutes after its last failure (an address the bound evicts
 * starts counting again).
 */
public final class LoginThrottle {

    static final int MAX_ADDRESSES = 50_000;
    private static final Duration WINDOW = Duration.ofMinutes(1);

    /** What a failure did to its address's window. */
    public enum Failure { FIRST_IN_WINDOW, COUNTED, LIMIT_REACHED }

    /** One address's window: when it opened, how many failures it has counted. */
    private record Window(Instant start, int failures) {
        boolean over(Instant now) {
            return !now.isBefore(start.plus(WINDOW));
        }
    }

    private final int limit;
    private final Supplier<Clock> clock;
    private final Cache<String, Window> windows = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES)
            .expireAfterWrite(WINDOW.multipliedBy(2)).build();

    /** @param clock read on each call: a test's clock, bound after the guard is made, is found. */
    public LoginThrottle(int failuresPerMinute, Supplier<Clock> clock) {
        this.limit = failuresPerMinute;
        this.clock = clock;
    }

    public int limit() {
        return limit;
    }

    /** Seconds (at least 1) until the address may try again, or 0 when it is not throttled. */
    public long retryAfterSeconds(String address) {
        Window w = windows.getIfPresent(address);
        Instant now = clock.get().instant();
        if (w == null || w.failures() < limit || w.over(now)) {
            return 0;
        }
        long millis = Duration.between(now, w.start().plus(WINDOW)).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    /** When the address's window ends (for the log line), or null without one. */
    public Instant windowEnd(String address) {
        Window w = windows.getIfPresent(address);
        return w == null ? null : w.start().plus(WINDOW);
    }

    /** Counts a wrong credential from the address. */
    public Failure failed(String address) {
        Instant now = clock.get().instant();
        Window w = windows.asMap().compute(address, (a, old) -> old == null || old.over(now)
                ? new Window(now, 1) : new Window(old.start(), old.failures() + 1));
        if (w.failures() == 1) {
            return limit == 1 ? Failure.LIMIT_REACHED : Failure.FIRST_IN_WINDOW;
        }
        return w.failures() == limit ? Failure.LIMIT_REACHED : Failure.COUNTED;
    }
}
