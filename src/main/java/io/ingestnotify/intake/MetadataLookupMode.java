package io.ingestnotify.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;

import javax.sql.DataSource;

import io.ingestnotify.config.Queries;
import io.ingestnotify.config.Settings;
import io.ingestnotify.config.UserRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once, at start, whether the metadata look-up confirms failed events (METADATA_LOOKUP): {@code auto} when the
 * files table is visible or the user replaced route ingest-notify-lookup-file (ROUTES_DIR); {@code true} requires one of them;
 * {@code false} never confirms. Runs when the context is fully started, after the user's routes are loaded.
 */
public final class MetadataLookupMode implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataLookupMode.class);

    private final String mode;

    private MetadataLookupMode(String mode) {
        this.mode = mode;
    }

    public static void install(CamelContext context, String setting) throws Exception {
        String mode = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("true") && !mode.equals("false")) {
            throw Settings.invalid("METADATA_LOOKUP", setting, "auto, true or false");
        }
        context.addStartupListener(new MetadataLookupMode(mode));
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
        boolean table = !userRoute && filesTableVisible(context.getRegistry().lookupByNameAndType("dataSource", DataSource.class));
        boolean on = userRoute || table;
        if (!on && mode.equals("true")) {
            throw Settings.invalid("METADATA_LOOKUP", "true",
                    "a files table in the database's search path (DB_SCHEMA), or a ingest-notify-lookup-file route in ROUTES_DIR; found neither");
        }
        lookup.confirmFailures(on, !userRoute);
        if (on) {
            LOG.info("Metadata look-up confirms failed events before their correction (METADATA_LOOKUP={}: {}); "
                    + "its storage key, company and bot win", mode, userRoute ? "route ingest-notify-lookup-file from ROUTES_DIR" : "files table found");
        } else {
            LOG.info("Metadata look-up does not confirm failed events (METADATA_LOOKUP=auto: no files table in the search path): "
                    + "correction tasks use the events' storage key, company and bot");
        }
    }

    private static boolean filesTableVisible(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(Queries.get("intake/files-table-visible"));
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
