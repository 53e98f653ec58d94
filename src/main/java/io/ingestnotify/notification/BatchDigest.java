package io.ingestnotify.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingestnotify.batching.Preferences;
import io.ingestnotify.common.Queries;
import org.apache.camel.Header;

/**
 * The template model of a completed batch: its exact totals (files, outcomes, chunks, failures by category), at most
 * DIGEST_MAX_LISTED_FILES of its files split by outcome (failures first), and the snapshot's choices.
 * Values are raw; the templates escape them (HTML output format).
 */
public class BatchDigest {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private final DataSource dataSource;
    private final boolean emailEnabled;
    private final UnsubscribeTokens unsubscribe;
    private final ObjectMapper mapper = new ObjectMapper();
    private final int maxListed;

    /** @param maxListed DIGEST_MAX_LISTED_FILES: at most this many files listed by name, failures first */
    public BatchDigest(DataSource dataSource, boolean emailEnabled, UnsubscribeTokens unsubscribe, int maxListed) {
        this.maxListed = maxListed;
        this.dataSource = dataSource;
        this.emailEnabled = emailEnabled;
        this.unsubscribe = unsubscribe;
    }

    public Map<String, Object> load(@Header("batchId") String batchId) throws Exception {
        UUID id = UUID.fromString(batchId);
        Map<String, Object> model = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(Queries.get("notification/batch-for-digest"))) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("Batch " + batchId + " not found");
                    }
                    Map<?, ?> snapshot = mapper.readValue(rs.getString("snapshot"), Map.class);
                    Preferences prefs = Preferences.from(snapshot, Preferences.defaults(5, 30));
                    Timestamp start = rs.getTimestamp("batch_start_time");
                    Timestamp end = rs.getTimestamp("batch_end_time");
                    model.put("batchId", batchId);
                    model.put("companyId", rs.getInt("company_id"));
                    model.put("botId", rs.getInt("bot_id"));
                    model.put("recipient", rs.getString("user_email"));
                    model.put("totalFiles", rs.getInt("total_files"));
                    model.put("startTime", TIME.format(start.toLocalDateTime()));
                    model.put("completionTime", end == null ? "" : TIME.format(end.toLocalDateTime()));
                    long seconds = end == null ? 0 : Duration.between(start.toInstant(), end.toInstant()).toSeconds();
                    model.put("processingMinutes", String.format("%.1f", seconds / 60.0));
                    model.put("emailFormat", prefs.emailFormat());
                    model.put("includeSuccessDetails", prefs.includeSuccessDetails());
                    model.put("includeErrorDetails", prefs.includeErrorDetails());
                    model.put("notificationEnabled", prefs.notificationEnabled());
                    model.put("sendMail", emailEnabled && prefs.notificationEnabled());
                    // The recipient's controls, as the snapshot has them (empty: the settings' defaults).
                    model.put("timezone", prefs.timezone());
                    model.put("quietHoursStart", prefs.quietHoursStart());
                    model.put("quietHoursEnd", prefs.quietHoursEnd());
                    model.put("maxDigestsPerDay", prefs.maxDigestsPerDay());
                    // A held digest carries the batches folded into it (it says how many, and lists their files).
                    model.put("foldedBatches", rs.getInt("folded_batches"));
                    model.put("unsubscribeUrl", unsubscribe.url(rs.getInt("company_id"), rs.getInt("bot_id"), rs.getString("user_email")));
                    model.put("skipReason", !emailEnabled ? "ENABLE_EMAIL_NOTIFICATIONS=false"
                            : prefs.notificationEnabled() ? "" : "notification_enabled=false in the user's preferences");
                }
            }
            // Exact totals from PostgreSQL, whatever the batch's size; only the first DIGEST_MAX_LISTED_FILES files are
            // read and listed (failures first), so a 10,000-file batch renders as fast as a small one.
            int successCount = 0;
            int failedCount = 0;
            long chunks = 0;
            List<Map<String, Object>> byCategory = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Queries.get("notification/batch-totals-for-digest"))) {
                ps.setObject(1, id);
                ps.setObject(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int files = rs.getInt("files");
                        chunks += rs.getLong("chunks");
                        String category = rs.getString("category");
                        if (category == null) {
                            successCount += files;
                        } else {
                            failedCount += files;
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("category", category);
                            row.put("files", files);
                            byCategory.add(row);
                        }
                    }
                }
            }
            boolean errors = (Boolean) model.get("includeErrorDetails");
            boolean successes = (Boolean) model.get("includeSuccessDetails");
            List<Map<String, Object>> succeeded = new ArrayList<>();
            List<Map<String, Object>> failed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Queries.get("notification/batch-files-for-digest"))) {
                ps.setObject(1, id);
                ps.setObject(2, id);
                ps.setBoolean(3, errors);
                ps.setBoolean(4, successes);
                ps.setInt(5, maxListed);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> f = new LinkedHashMap<>();
                        f.put("documentId", rs.getString("file_document_id"));
                        f.put("name", rs.getString("file_name"));
                        f.put("seconds", rs.getObject("processing_time_seconds") == null ? "-" : rs.getInt("processing_time_seconds"));
                        f.put("chunks", rs.getInt("chunks_created"));
                        String error = rs.getString("error_message");
                        f.put("error", error == null || error.isBlank() ? "Unknown error" : error);
                        f.put("category", rs.getString("error_category") == null ? "" : rs.getString("error_category"));
                        ("success".equals(rs.getString("processing_status")) ? succeeded : failed).add(f);
                    }
                }
            }
            model.put("totalFiles", successCount + failedCount);
            model.put("successCount", successCount);
            model.put("failedCount", failedCount);
            model.put("totalChunks", chunks);
            model.put("failuresByCategory", byCategory);
            // The listed files (successFiles, failedFiles: at most maxListedFiles together) and how many of the files
            // the recipient asked details of are left out (their full list: the ops page, GET /api/batches/{id}/files).
            model.put("successFiles", succeeded);
            model.put("failedFiles", failed);
            model.put("maxListedFiles", maxListed);
            int detailed = (errors ? failedCount : 0) + (successes ? successCount : 0);
            model.put("unlistedFiles", detailed - succeeded.size() - failed.size());
            model.put("subject", "File Processing Complete - " + successCount + " Success, " + failedCount + " Failed");
        }
        return model;
    }

    /**
     * A page of a batch's files for the operator (the complete list a digest points to): failures first, at most
     * {@code limit} (1-1000, default 500) from {@code offset}.
     */
    public Map<String, Object> files(@Header("batchId") String batchId, @Header("offset") String offset, @Header("limit") String limit)
            throws java.sql.SQLException {
        int from = page(offset, "offset", 0, Integer.MAX_VALUE, 0);
        int size = page(limit, "limit", 1, 1_000, 500);
        UUID id = UUID.fromString(batchId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("batchId", batchId);
        out.put("offset", from);
        out.put("limit", size);
        out.put("files", io.ingestnotify.common.Jdbc.rows(dataSource, "notification/batch-files-page", id, id, size, from));
        return out;
    }

    private static int page(String value, String name, int min, int max, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!value.matches("[0-9]{1,9}") || Integer.parseInt(value) < min || Integer.parseInt(value) > max) {
            throw new io.ingestnotify.common.PathIds.BadPathIdException(name, name + " must be an integer from " + min + " to " + max);
        }
        return Integer.parseInt(value);
    }
}
