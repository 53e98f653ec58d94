package io.ingestnotify.common;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.ingestnotify.common.Jdbc;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's leases on scheduled work. The claim (SQL) writes the owner (INSTANCE_ID) and the expiry on the row;
 * while the work is in progress here (a digest waiting out its back-off, a correction's deletes, a sweep's batch, a
 * CMS mark) the heartbeat renews the expiry every third of LEASE_SECONDS. Work that ends drops out of the renewal by
 * itself (the renewal only matches rows still in progress); a row this instance no longer owns is reported once.
 * If this instance dies, its leases expire within LEASE_SECONDS and the other instances' claims take the work.
 */
public class Leases {

    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    /** The kinds of leased work, each with the query that renews it and the SQL type of its ids. */
    public enum Kind {
        DIGEST("ops/renew-digest-leases", "uuid", "ops/check-digest-lease"),
        BATCH("ops/renew-batch-leases", "uuid", null),
        CMS_MARK("ops/renew-cms-mark-leases", "int4", null),
        CORRECTION("ops/renew-correction-leases", "int4", "ops/check-correction-lease"),
        RETENTION("ops/renew-retention-leases", "int4", null);

        final String renewQuery;
        final String sqlType;
        /** Owner, fence and expiry checked right before an outside effect (SMTP hand-over, a delete). */
        final String checkQuery;

        Kind(String renewQuery, String sqlType, String checkQuery) {
            this.renewQuery = renewQuery;
            this.sqlType = sqlType;
            this.checkQuery = checkQuery;
        }

        public String label() {
            return name().toLowerCase();
        }
    }

    private final DataSource dataSource;
    private final String instanceId;
    private final int seconds;
    private final Map<Kind, Set<Object>> held = new EnumMap<>(Kind.class);
    private ScheduledExecutorService heartbeat;
    /** When (System.nanoTime) a heartbeat round last reached PostgreSQL and renewed every lease it asked for. */
    private volatile long lastRenewal = System.nanoTime();
    /** Lost leases already reported (kind:id:fence), so each is logged once; bounded. */
    private final Map<String, Boolean> reported = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    });

    public Leases(DataSource dataSource, String instanceId, int seconds) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
        this.seconds = seconds;
        for (Kind k : Kind.values()) {
            held.put(k, ConcurrentHashMap.newKeySet());
        }
    }

    public String instanceId() {
        return instanceId;
    }

    public int seconds() {
        return seconds;
    }

    /** Work this instance claimed and now runs: renewed until it ends. Ids are UUIDs (text) or integers. */
    public void hold(String kind, Object id) {
        Kind k = kind(kind);
        held.get(k).add(normalise(k, id));
    }

    /**
     * Work claimed as a list (a sweep, a poll) is held from the claim on, not from its turn: an item waiting behind
     * another's back-off keeps its lease too.
     */
    public List<Map<String, Object>> holdAll(List<Map<String, Object>> rows, String kind, String column) {
        Kind k = kind(kind);
        // A claim whose poll began before the claim gate closed, answered once PostgreSQL answered again but before
        // this instance renewed: dropped, its work taken back by the re-drive when the lease expires.
        if (!rows.isEmpty() && !mayClaim()) {
            LOG.warn("Instance {}: {} {} claim(s) made before the leases were renewed; left to the re-drive",
                    instanceId, rows.size(), kind);
            return List.of();
        }
        for (Map<String, Object> row : rows) {
            held.get(k).add(normalise(k, row.get(column)));
        }
        return rows;
    }

    /** Work that ended here; its row's lease is cleared where the kind keeps it after the work (batch, CMS mark). */
    public void release(String kind, Object id) throws SQLException {
        Kind k = kind(kind);
        Object key = normalise(k, id);
        held.get(k).remove(key);
        if (k == Kind.BATCH) {
            Jdbc.update(dataSource, "ops/release-batch-lease", key, instanceId);
        } else if (k == Kind.CMS_MARK) {
            Jdbc.update(dataSource, "ops/release-cms-mark-lease", key, instanceId);
        }
    }

    /** The list {@link #holdAll} held, released (a round that stopped: its files are free for the next). */
    public void releaseAll(List<Map<String, Object>> rows, String kind, String column) throws SQLException {
        for (Map<String, Object> row : rows) {
            release(kind, row.get(column));
        }
    }

    /** How many pieces of work of a kind this instance holds now (the gauge ingest_leases_held). */
    public int heldCount(Kind kind) {
        return held.get(kind).size();
    }

    /**
     * Whether this instance may claim new work: only while its last successful heartbeat is less than a lease period
     * old. One that could not renew for a whole period may have been frozen or cut off, and its leases taken over.
     */
    public boolean mayClaim() {
        return millisSinceRenewal() < seconds * 1000L;
    }

    /** Milliseconds since the last heartbeat round that reached PostgreSQL and renewed what it held. */
    public long millisSinceRenewal() {
        return (System.nanoTime() - lastRenewal) / 1_000_000;
    }

    /**
     * Right before an outside effect (a digest handed to SMTP, a delete): this instance still holds the work (owner,
     * the fence it claimed with) and the lease has not expired. Sets the exchange property leaseCheckedAt
     * (System.nanoTime) for the measure of the window left between this check and the effect.
     *
     * @throws LeaseLost when the lease is gone; reported once in one line
     */
    public void check(String kind, Object id, Long fence, org.apache.camel.Exchange exchange) throws SQLException, LeaseLost {
        Kind k = kind(kind);
        Object key = normalise(k, id);
        if (fence == null) {
            // No fence on the exchange: a path that claimed without one. Refuse rather than act unfenced.
            throw lost(k, key, -1, "its check (no lease fence on the exchange)");
        }
        if (Jdbc.rows(dataSource, k.checkQuery, key, instanceId, fence).isEmpty()) {
            throw lost(k, key, fence, k == Kind.DIGEST ? "the SMTP hand-over" : "the delete");
        }
        if (exchange != null) {
            exchange.setProperty("leaseCheckedAt", System.nanoTime());
        }
    }

    /**
     * A step found the lease gone: the work is dropped from the renewal and the loss logged once (one line, kind, id
     * and fence), however many of its steps notice it. Answers the exception the step throws.
     */
    public LeaseLost lost(String kind, Object id, long fence, String step) {
        Kind k = kind(kind);
        return lost(k, normalise(k, id), fence, step);
    }

    private LeaseLost lost(Kind k, Object key, long fence, String step) {
        held.get(k).remove(key);
        LeaseLost e = new LeaseLost(k.label(), key, fence, step);
        if (reported.put(k.label() + ":" + key + ":" + fence, Boolean.TRUE) == null) {
            LOG.warn("Instance {}: lease on {} {} (fence {}) lost (expired or taken over); stopping before {}, recording nothing further",
                    instanceId, k.label(), key, fence, step);
        }
        return e;
    }

    /** The routes' handler of {@link LeaseLost}: reports it (once) if its thrower did not. */
    public void lost(org.apache.camel.Exchange exchange) {
        Throwable t = exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LeaseLost e = org.apache.camel.util.ObjectHelper.getException(LeaseLost.class, t);
        if (e != null) {
            Kind k = kind(e.kind());
            lost(k, e.id(), e.fence(), "its next step");
        }
    }

    /** Renews every lease held here; called by the heartbeat, public for tests. */
    public void renew() {
        // One connection per round; the round counts from when it had one (the leases' new expiries start there),
        // so a round that waited for the database does not open the claim gate on an already old time.
        long started;
        boolean reached = true;
        try (Connection c = dataSource.getConnection()) {
            started = System.nanoTime();
            boolean any = false;
            for (Kind k : Kind.values()) {
                Set<Object> ids = held.get(k);
                if (ids.isEmpty()) {
                    continue;
                }
                any = true;
                Set<Object> asked = new HashSet<>(ids);
                try {
                    Array array = c.createArrayOf(k.sqlType, asked.toArray());
                    List<Map<String, Object>> renewed = Jdbc.rows(c, k.renewQuery, seconds, array, instanceId);
                    Set<Object> still = new HashSet<>();
                    for (Map<String, Object> r : renewed) {
                        still.add(r.values().iterator().next());
                    }
                    asked.removeAll(still);
                    // Ended here (sent, completed, released), taken over, or expired before this renewal.
                    ids.removeAll(asked);
                    if (!asked.isEmpty()) {
                        LOG.debug("Instance {}: {} lease(s) of kind {} no longer in progress here: {}", instanceId, asked.size(),
                                k.label(), asked);
                    }
                } catch (SQLException | RuntimeException e) {
                    reached = false;
                    LOG.warn("Instance {}: renewing {} lease(s) of kind {} failed ({}); retrying in {} s", instanceId, asked.size(),
                            k.label(), e.getMessage(), interval());
                }
            }
            if (!any) {
                // Nothing to renew: still prove the database is reachable, for the claim gate.
                Jdbc.rows(c, "ops/lease-contact");
            }
        } catch (SQLException | RuntimeException e) {
            int holding = held.values().stream().mapToInt(Set::size).sum();
            if (holding > 0) {
                LOG.warn("Instance {}: renewing {} lease(s) failed ({}); retrying in {} s", instanceId, holding, e.getMessage(), interval());
            } else {
                LOG.debug("Instance {}: heartbeat could not reach the database ({})", instanceId, e.getMessage());
            }
            return;
        }
        if (reached) {
            lastRenewal = started;
        }
    }

    private long interval() {
        return Math.max(1, seconds / 3);
    }

    /**
     * The heartbeat, as a service of its own for the Camel context to start and stop. Not Leases itself: routes call
     * Leases as a bean, and Camel stops a bean that is a Service when a route or processor using it stops, which would
     * silently end the renewals (and close the claim gate).
     */
    public ServiceSupport heartbeat() {
        return new ServiceSupport() {
            @Override
            protected void doStart() {
                startHeartbeat();
            }

            @Override
            protected void doStop() {
                stopHeartbeat();
            }
        };
    }

    private synchronized void startHeartbeat() {
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000L, seconds * 1000L / 3);
        heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        LOG.info("Instance {}: leases of {} s, renewed every {} ms while the work runs", instanceId, seconds, every);
    }

    private synchronized void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
    }

    private static Kind kind(String kind) {
        return Kind.valueOf(kind.trim().toUpperCase().replace('-', '_'));
    }

    private static Object normalise(Kind k, Object id) {
        if ("uuid".equals(k.sqlType)) {
            return id instanceof UUID u ? u : UUID.fromString(String.valueOf(id));
        }
        return id instanceof Number n ? n.intValue() : Integer.valueOf(String.valueOf(id).trim());
    }
}
