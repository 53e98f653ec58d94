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
public class Leases extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    /** The kinds of leased work, each with the query that renews it and the SQL type of its ids. */
    public enum Kind {
        DIGEST("ops/renew-digest-leases", "uuid"),
        BATCH("ops/renew-batch-leases", "uuid"),
        CMS_MARK("ops/renew-cms-mark-leases", "int4"),
        CORRECTION("ops/renew-correction-leases", "int4"),
        RETENTION("ops/renew-retention-leases", "int4");

        final String renewQuery;
        final String sqlType;

        Kind(String renewQuery, String sqlType) {
            this.renewQuery = renewQuery;
            this.sqlType = sqlType;
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
    public void holdAll(List<Map<String, Object>> rows, String kind, String column) {
        Kind k = kind(kind);
        for (Map<String, Object> row : rows) {
            held.get(k).add(normalise(k, row.get(column)));
        }
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

    /** Renews every lease held here; called by the heartbeat, public for tests. */
    public void renew() {
        for (Kind k : Kind.values()) {
            Set<Object> ids = held.get(k);
            if (ids.isEmpty()) {
                continue;
            }
            Set<Object> asked = new HashSet<>(ids);
            try (Connection c = dataSource.getConnection()) {
                Array array = c.createArrayOf(k.sqlType, asked.toArray());
                List<Map<String, Object>> renewed = Jdbc.rows(c, k.renewQuery, seconds, array, instanceId);
                Set<Object> still = new HashSet<>();
                for (Map<String, Object> r : renewed) {
                    still.add(r.values().iterator().next());
                }
                asked.removeAll(still);
                // Ended here (sent, completed, released) or taken over after a pause longer than the lease.
                ids.removeAll(asked);
                if (!asked.isEmpty()) {
                    LOG.debug("Instance {}: {} lease(s) of kind {} no longer in progress here: {}", instanceId, asked.size(),
                            k.label(), asked);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Instance {}: renewing {} lease(s) of kind {} failed ({}); retrying in {} s", instanceId, asked.size(),
                        k.label(), e.getMessage(), interval());
            }
        }
    }

    private long interval() {
        return Math.max(1, seconds / 3);
    }

    @Override
    protected void doStart() {
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000L, seconds * 1000L / 3);
        heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        LOG.info("Instance {}: leases of {} s, renewed every {} ms while the work runs", instanceId, seconds, every);
    }

    @Override
    protected void doStop() {
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
