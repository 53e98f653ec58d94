package io.ingestnotify;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import io.ingestnotify.notification.QuietHours;
import io.ingestnotify.support.LogCapture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Quiet hours in the recipient's zone: plain and midnight-crossing windows, both daylight-saving changes, bad zones. */
class QuietHoursTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Optional<Instant> until(String now, ZoneId zone, String start, String end) {
        return QuietHours.until(Instant.parse(now), zone, start, end);
    }

    @Test
    void aPlainWindowEndsTheSameDay() {
        // 13:30 in Berlin (CET, UTC+1) inside 12:00-14:00: quiet until 14:00 local = 13:00Z
        assertThat(until("2026-01-15T12:30:00Z", BERLIN, "12:00", "14:00")).contains(Instant.parse("2026-01-15T13:00:00Z"));
        assertThat(until("2026-01-15T13:00:00Z", BERLIN, "12:00", "14:00")).isEmpty();   // the end is not quiet
        assertThat(until("2026-01-15T10:59:59Z", BERLIN, "12:00", "14:00")).isEmpty();
        assertThat(until("2026-01-15T11:00:00Z", BERLIN, "12:00", "14:00")).isPresent(); // the start is
    }

    @Test
    void aWindowAcrossMidnightEndsTheNextMorningOrThisMorning() {
        // 23:30 local: the window ends tomorrow at 07:00
        assertThat(until("2026-01-15T22:30:00Z", BERLIN, "22:00", "07:00")).contains(Instant.parse("2026-01-16T06:00:00Z"));
        // 03:00 local: it ends this morning
        assertThat(until("2026-01-16T02:00:00Z", BERLIN, "22:00", "07:00")).contains(Instant.parse("2026-01-16T06:00:00Z"));
        assertThat(until("2026-01-16T12:00:00Z", BERLIN, "22:00", "07:00")).isEmpty();
    }

    @Test
    void anEndTheSpringForwardGapSkipsEndsTheWindowWhenTheGapEnds() {
        // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z). A window ending at 02:30 ends at 03:00 EDT.
        assertThat(until("2026-03-08T04:30:00Z", NEW_YORK, "22:00", "02:30")).contains(Instant.parse("2026-03-08T07:00:00Z"));
        // the day after, 02:30 EDT exists again
        assertThat(until("2026-03-09T05:00:00Z", NEW_YORK, "22:00", "02:30")).contains(Instant.parse("2026-03-09T06:30:00Z"));
    }

    @Test
    void anEndTheFallBackOverlapRepeatsEndsTheWindowAtItsSecondOccurrence() {
        // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens at 05:30Z and again at 06:30Z.
        assertThat(until("2026-11-01T05:15:00Z", NEW_YORK, "22:00", "01:30")).contains(Instant.parse("2026-11-01T06:30:00Z"));
    }

    @Test
    void noWindowWhenEitherTimeIsEmptyOrBothAreEqual() {
        assertThat(until("2026-01-15T22:30:00Z", BERLIN, "", "07:00")).isEmpty();
        assertThat(until("2026-01-15T22:30:00Z", BERLIN, "22:00", "")).isEmpty();
        assertThat(until("2026-01-15T22:30:00Z", BERLIN, "07:00", "07:00")).isEmpty();
    }

    @Test
    void anUnknownZoneIsLoggedOnceAndTheDefaultZoneUsed() {
        QuietHours quietHours = new QuietHours(BERLIN);
        try (LogCapture log = LogCapture.attach()) {
            assertThat(quietHours.zone("Mars/Olympus_Mons")).isEqualTo(BERLIN);
            assertThat(quietHours.zone("Mars/Olympus_Mons")).isEqualTo(BERLIN);
            assertThat(quietHours.zone("")).isEqualTo(BERLIN);
            assertThat(quietHours.zone("America/New_York")).isEqualTo(NEW_YORK);
            assertThat(log.linesContaining("Mars/Olympus_Mons")).hasSize(1);
        }
    }
}
