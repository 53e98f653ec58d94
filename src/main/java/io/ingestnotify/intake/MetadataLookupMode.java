package io.ingestnotify.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;

import javax.sql.DataSource;

import io.ingestnotify.config.BundleDatabase;
import io.ingestnotify.config.Queries;
import io.ingestnotify.config.Settings;
import io.ingestnotify.config.UserRoutes;
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

    private static final String TABLE = "[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?";

    private final String mode;
    private final boolean viaCms;
    private final String table;

    private MetadataLookupMode(String mode, boolean viaCms, String table) {
        this.mode = mode;
        this.viaCms = viaCms;
        this.table = table;
    }

    /**
     * @param cmsConfigured CMS_API_URL is set
     */
    public static void install(CamelContext context, String setting, String sourceSetting, String tableSetting,
                               boolean cmsConfigured) throws Exception {
        String mode = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("true") && !mode.equals("false")) {
            throw Settings.invalid("METADATA_LOOKUP", setting, "auto, true or false");
        }
        String source = sourceSetting == null ? "" : sourceSetting.trim().toLowerCase(Locale.ROOT);
        switch (source) {
            case "auto" -> source = cmsConfigured ? "cms" : "sql";
            case "cms" -> {
                if (!cmsConfigured) {
                    throw Settings.invalid("METADATA_SOURCE", sourceSetting, "sql or auto, or set CMS_API_URL");
                }
            }
            case "sql" -> { }
            default -> throw Settings.invalid("METADATA_SOURCE", sourceSetting, "auto, cms or sql");
        }
        String table = tableSetting == null ? "" : tableSetting.trim();
        if (!table.matches(TABLE)) {
            throw Settings.invalid("METADATA_TABLE", tableSetting, "a table name such as files or cms.ingest_files");
        }
        var pc = context.getPropertiesComponent();
        pc.addOverrideProperty("ingest-notify.metadata.source.resolved", source);
        // The table is an identifier checked above, never event data; camel-sql reads no placeholders inside a query file.
        pc.addOverrideProperty("ingest-notify.metadata.lookup.file.query", query("intake/lookup-file", table));
        pc.addOverrideProperty("ingest-notify.metadata.lookup.files.query", query("intake/lookup-files", table));
        context.addStartupListener(new MetadataLookupMode(mode, source.equals("cms"), table));
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
        FileLookup lookup = context.getRegistry().lookupByNameAndType("ingestNotifyFileLookup", FileLookup.class);
        if (mode.equals("false")) {
            LOG.info("Metadata look-up does not confirm failed events (METADATA_LOOKUP=false): correction tasks use the events' "
                    + "storage key, company and bot");
            return;
        }
        Object userIds = context.getRegistry().lookupByName(UserRoutes.LOADED_IDS);
        boolean userRoute = userIds instanceof java.util.Collection<?> ids && ids.contains("ingest-notify-lookup-file");
        boolean tableFound = !userRoute && !viaCms
                && tableVisible(context.getRegistry().lookupByNameAndType("ingestNotifyDatabase", BundleDatabase.class).dataSource(), table);
        boolean on = userRoute || viaCms || tableFound;
        if (!on && mode.equals("true")) {
            throw Settings.invalid("METADATA_LOOKUP", "true", "the CMS (CMS_API_URL), a " + table
                    + " table in the database's search path (METADATA_TABLE, DB_SCHEMA), or a ingest-notify-lookup-file route in ROUTES_DIR; found none");
        }
        // One query for a group's failed events only where the look-up is the built-in SQL one.
        lookup.confirmFailures(on, !userRoute && !viaCms);
        String source = userRoute ? "route ingest-notify-lookup-file from ROUTES_DIR" : viaCms ? "the CMS API, CMS_FILES_PATH" : "table " + table;
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
