package io.ingestnotify.cms;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Exchange;

/**
 * What route ingest-notify-mark-cms-files needs beside SQL: this instance's start (refused marks wait for a start after their
 * refusal) and the ids of a round's files, which a refusal marks all at once (one ERROR line, not one per file).
 */
public final class CmsMarks {

    private final Timestamp startedAt = new Timestamp(System.currentTimeMillis());

    public Timestamp startedAt() {
        return startedAt;
    }

    /** The message of the CmsMisconfigured that stopped a round (the split wraps it). */
    public String refusal(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CmsMisconfigured) {
                return c.getMessage();
            }
        }
        return t == null ? "refused" : t.getMessage();
    }

    /** The ids of the rows of queries/notification/files-to-mark.sql. */
    public List<Object> ids(@Body List<Map<String, Object>> files) {
        return files.stream().map(f -> f.get("id")).toList();
    }
}
