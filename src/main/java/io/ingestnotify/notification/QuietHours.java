package io.ingestnotify.notification;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recipient's quiet hours, local to the recipient's zone: [start, end), crossing midnight when start is later than
 * end; equal or empty times mean none. {@link #until} says when the window a moment falls into ends.
 * <p>
 * Daylight saving: an end time that a spring-forward gap skips ends the window when the gap ends (the first local
 * time at or after the end); an end time that a fall-back overlap repeats ends it at its second occurrence, so the
 * recipient's clock never shows a quiet time after the digest arrived.
 */
public class QuietHours {

    private static final Logger LOG = LoggerFactory.getLogger(QuietHours.class);

    private final ZoneId defaultZone;
    private final Set<String> unknownZonesLogged = ConcurrentHashMap.newKeySet();

    public QuietHours(ZoneId defaultZone) {
        this.defaultZone = defaultZone;
    }

    /** The recipient's zone; an unknown name is logged once (per name) and the default zone used instead. */
    public ZoneId zone(String name) {
        if (name == null || name.isBlank()) {
            return defaultZone;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            if (unknownZonesLogged.add(name)) {
                LOG.warn("Unknown time zone '{}' in a recipient's preferences; using {} (DEFAULT_TIMEZONE) for it", name, defaultZone);
            }
            return defaultZone;
        }
    }

    /** When the quiet window {@code now} falls into ends; empty when {@code now} is not quiet (or there is no window). */
    public static Optional<Instant> until(Instant now, ZoneId zone, String start, String end) {
        if (start == null || end == null || start.isEmpty() || end.isEmpty() || start.equals(end)) {
            return Optional.empty();
        }
        LocalTime from = LocalTime.parse(start);
        LocalTime to = LocalTime.parse(end);
        LocalDateTime local = LocalDateTime.ofInstant(now, zone);
        LocalTime t = local.toLocalTime();
        boolean crossesMidnight = from.isAfter(to);
        boolean quiet = crossesMidnight ? !t.isBefore(from) || t.isBefore(to) : !t.isBefore(from) && t.isBefore(to);
        if (!quiet) {
            return Optional.empty();
        }
        // The end is today unless the window began before midnight (then it is tomorrow).
        LocalDate day = crossesMidnight && !t.isBefore(from) ? local.toLocalDate().plusDays(1) : local.toLocalDate();
        Instant ends = resolve(day.atTime(to), zone);
        return Optional.of(ends.isAfter(now) ? ends : resolve(day.plusDays(1).atTime(to), zone));
    }

    private static Instant resolve(LocalDateTime end, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(end);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return ZonedDateTime.ofLocal(end, zone, null).withLaterOffsetAtOverlap().toInstant();
    }
}
