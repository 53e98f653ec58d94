package io.ingestnotify.correction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ingestnotify.settings.Setting;



/**
 * What a correction task may delete. Event data is untrusted: an S3 key must lie inside S3_KEY_PREFIX (filled with the
 * task's company and bot) and be a plain relative key (S3-compatible stores may normalise "a/../b" to "b"); a CMS or
 * Chroma document id must be one plain path segment. Anything else is refused, never "fixed".
 */
public class DeletionBounds {

    static final String COMPANY = "{company_id}";
    static final String BOT = "{bot_id}";

    private final String keyPrefix;

    /** @param keyPrefix S3_KEY_PREFIX, checked by {@link #prefix}; empty: any well-formed key */
    public DeletionBounds(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /** Validates S3_KEY_PREFIX at start: empty, or a folder (ending in '/') of plain segments and the two placeholders. */
    public static String prefix(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return "";
        }
        String filled = v.replace(COMPANY, "1").replace(BOT, "1");
        if (!v.endsWith("/") || filled.contains("{") || filled.contains("}")
                || keyRefusal(filled.substring(0, filled.length() - 1)) != null) {
            throw Setting.S3_KEY_PREFIX.invalid(value, "a key prefix ending in '/', without empty, '.' or '..' segments, "
                    + "placeholders only {company_id} and {bot_id} (e.g. tenants/{company_id}/)");
        }
        return v;
    }

    /** The actions of a task (not yet done) that fall outside the bounds, each with the reason. */
    public Map<String, String> refusals(Map<String, Object> task) {
        Map<String, String> refused = new LinkedHashMap<>();
        String actions = String.valueOf(task.get("actions"));
        String key = (String) task.get("storage_key");
        if (actions.contains("\"" + CorrectionActions.S3 + "\"") && !Boolean.TRUE.equals(task.get("s3_cleanup_completed")) && key != null) {
            String why = s3Refusal(key, (Integer) task.get("company_id"), (Integer) task.get("bot_id"));
            if (why != null) {
                refused.put(CorrectionActions.S3, why);
            }
        }
        String idWhy = idRefusal((String) task.get("file_document_id"));
        if (idWhy != null) {
            for (String a : List.of(CorrectionActions.CMS, CorrectionActions.CHROMA)) {
                String flag = a.equals(CorrectionActions.CMS) ? "cms_cleanup_completed" : "chroma_cleanup_completed";
                if (actions.contains("\"" + a + "\"") && !Boolean.TRUE.equals(task.get(flag))) {
                    refused.put(a, idWhy);
                }
            }
        }
        return refused;
    }

    /** Why an S3 key may not be deleted, or null when it may. */
    String s3Refusal(String key, Integer companyId, Integer botId) {
        String why = keyRefusal(key);
        if (why != null || keyPrefix.isEmpty()) {
            return why;
        }
        if ((keyPrefix.contains(COMPANY) && companyId == null) || (keyPrefix.contains(BOT) && botId == null)) {
            return "S3 key " + quote(key) + ": the task has no company/bot to fill S3_KEY_PREFIX " + keyPrefix;
        }
        String prefix = keyPrefix.replace(COMPANY, String.valueOf(companyId)).replace(BOT, String.valueOf(botId));
        return key.startsWith(prefix) ? null : "S3 key " + quote(key) + " is outside S3_KEY_PREFIX " + prefix;
    }

    /** A plain relative key: no leading '/', no empty, '.' or '..' segment, no backslash or control character. */
    static String keyRefusal(String key) {
        if (key.isEmpty()) {
            return "empty S3 key";
        }
        if (hasControlChar(key) || key.indexOf('\\') >= 0) {
            return "S3 key " + quote(key) + " has a control character or a backslash";
        }
        if (key.startsWith("/")) {
            return "S3 key " + quote(key) + " starts with '/'";
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "S3 key " + quote(key) + " has an empty, '.' or '..' segment";
            }
        }
        return null;
    }

    /** A document id is one plain path segment: not empty, not '.' or '..', no '/', '\' or control character. */
    static String idRefusal(String id) {
        if (id == null || id.isBlank() || id.equals(".") || id.equals("..") || id.indexOf('/') >= 0 || id.indexOf('\\') >= 0
                || hasControlChar(id)) {
            return "document id " + quote(id) + " is not a plain path segment";
        }
        return null;
    }

    private static boolean hasControlChar(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    /** Quoted for a log line or a reason, control characters shown escaped so a reason cannot forge a log line. */
    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        for (char c : (s.length() > 200 ? s.substring(0, 200) + "..." : s).toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('\'').toString();
    }
}
