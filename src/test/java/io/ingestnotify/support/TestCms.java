package io.ingestnotify.support;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One real CMS of the contract test (CmsContractTest), seen the same way whatever it is: seeded and read with its
 * admin token, reached by the bundle with the token its README lists, or one that may only read files. Implemented by
 * {@link StrapiServer} and {@link DirectusServer} themselves.
 */
public interface TestCms {

    /** The CMS_KIND that reaches it. */
    String kind();

    String url();

    /** A token with exactly the permissions the CMS's README lists. */
    String bundleToken();

    /** A token that may read files but not delete them. */
    String readOnlyToken();

    /** A CMS_FILES_PATH at which the CMS has no file records. */
    String wrongFilesPath();

    /** Creates a file record; returns its document id. */
    String createFile(String name, String storageKey, int company, int bot);

    void createPreference(int company, int bot, String email, int threshold, int delay, String format, boolean enabled,
                          boolean success, boolean errors);

    /** The file record's fields, or null when the CMS has none. */
    JsonNode file(String documentId);

    /** The user's stored notification_enabled; null without a record. */
    Boolean notificationsEnabled(int company, int bot, String email);

    /** True when the CMS is installed here (node and its npm project). */
    static boolean available(String kind) {
        return kind.equals("strapi") ? StrapiServer.available() : DirectusServer.available();
    }

    /** The JVM's one server of that kind, started on first use. */
    static TestCms shared(String kind) throws IOException {
        return kind.equals("strapi") ? StrapiServer.shared() : DirectusServer.shared();
    }

    /** A user's preference record, in the field names both CMSs store. */
    static Map<String, Object> preference(int company, int bot, String email, int threshold, int delay, String format,
                                          boolean enabled, boolean success, boolean errors) {
        Map<String, Object> data = new HashMap<>();
        data.put("company_id", company);
        data.put("bot_id", bot);
        data.put("user_email", email);
        data.put("batch_size_threshold", threshold);
        data.put("notification_delay_minutes", delay);
        data.put("email_format", format);
        data.put("notification_enabled", enabled);
        data.put("include_success_details", success);
        data.put("include_error_details", errors);
        return data;
    }
}
