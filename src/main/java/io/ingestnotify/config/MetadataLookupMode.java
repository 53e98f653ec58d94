package io.ingestnotify.config;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.ingestnotify.common.Queries;
import io.ingestnotify.intake.FileLookup;
import io.ingestnotify.settings.Setting;
import io.ingestnotify.settings.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once, at start, where the metadata look-up reads (METADATA_SOURCE: the CMS API when CMS_API_URL is set, else
 * the METADATA_TABLE of the operational database; route ingest-notify-lookup-file reads the derived properties
 * {@code metadata.source.resolved} and {@code metadata.lookup.*.query}), and whether it confirms failed events
 * (METADATA_LOOKUP): {@code auto} when the source is the CMS, the table is visible or the user replaced route
 * lookup-file (ROUTES_DIR); {@code true} requires one of them; {@code false} never confirms. The confirmation is
 * decided when the context is fully started, after the user's routes are loaded.
 */
public final class MetadataLookupMode implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataLookupMode.class);

    private final String mode;
    private final boolean viaCms;
    private final String table;
    private final FileLookup lookup;
    private final Supplier<DataSource> database;
    private final Supplier<Set<String>> userRouteIds;

    private MetadataLookupMode(String mode, boolean viaCms, String table, FileLookup lookup, Supplier<DataSource> database,
                               Supplier<Set<String>> userRouteIds) {
        this.mode = mode;
        this.viaCms = viaCms;
        this.table = table;
        this.lookup = lookup;
        this.database = database;
        this.userRouteIds = userRouteIds;
    }

    /** METADATA_LOOKUP, METADATA_SOURCE (resolved by Settings) and METADATA_TABLE, checked by Settings. */
    public static void install(CamelContext context, Settings.Correction settings, FileLookup lookup,
                               Supplier<DataSource> database, Supplier<Set<String>> userRouteIds) throws Exception {
        String source = settings.metadataSource();
        String table = settings.metadataTable();
        var pc = context.getPropertiesComponent();
        pc.addOverrideProperty("ingest-notify.metadata.source.resolved", source);
        // The table is an identifier checked above, never event data; camel-sql reads no placeholders inside a query file.
        pc.addOverrideProperty("ingest-notify.metadata.lookup.file.query", query("intake/lookup-file", table));
        pc.addOverrideProperty("ingest-notify.metadata.lookup.files.query", query("intake/lookup-files", table));
        context.addStartupListener(new MetadataLookupMode(settings.metadataLookup(), source.equals("cms"), table, lookup, database, userRouteIds));
    }

    /** A query file with its comment lines dropped and {table} filled in, on one line (it goes into an endpoint URI). */
    private static String query(String name, String table) {
        return Queries.get(name).lines().filter(l -> !l.trim().startsWith("--")).map(String::trim)
                .collect(java.util.stream.Collectors.joining(" ")).replace("{table}", table).trim();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // decided once the user's routes are loaded
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        if (mode.equals("false")) {
            LOG.info("Metadata look-up does not confirm failed events (METADATA_LOOKUP=false): correction tasks use the events' "
                    + "storage key, company and bot");
            return;
        }
        boolean userRoute = userRouteIds.get().contains("ingest-notify-lookup-file");
        boolean tableFound = !userRoute && !viaCms
                && tableVisible(database.get(), table);
        boolean on = userRoute || viaCms || tableFound;
        if (!on && mode.equals("true")) {
            throw Setting.METADATA_LOOKUP.invalid("true", "the CMS (CMS_API_URL), a " + table
                    + " table in the database's search path (METADATA_TABLE, DB_SCHEMA), or a ingest-notify-lookup-file route in ROUTES_DIR; found none");
        }
        // One query (or one CMS call per 100 documents) for a group's failed events where the look-up is the built-in
        // route, and the CMS's grouped look-up is not left built-in while its single one was replaced in ROUTES_DIR.
        Set<String> replaced = userRouteIds.get();
        boolean cmsGroupKept = replaced.contains("ingest-notify-cms-lookup-file") && !replaced.contains("ingest-notify-cms-lookup-files");
        lookup.confirmFailures(on, !userRoute && !(viaCms && cmsGroupKept));
        String source = userRoute ? "route ingest-notify-lookup-file from ROUTES_DIR" : viaCms ? "the CMS, route ingest-notify-cms-lookup-file" : "table " + table;
        if (on) {
            LOG.info("Metadata look-up ({}) confirms failed events before their correction (METADATA_LOOKUP={}); "
                    + "its storage key, company and bot win", source, mode);
        } else {
            LOG.info("Metadata look-up ({}) does not confirm failed events (METADATA_LOOKUP={}{}): "
                    + "correction tasks use the events' storage key, company and bot", source, mode,
                    mode.equals("auto") ? ": no " + table + " table in the search path" : "");
        }
    }

    private static boolean tableVisible(DataSource dataSource, String table) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("intake/files-table-visible"))) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
