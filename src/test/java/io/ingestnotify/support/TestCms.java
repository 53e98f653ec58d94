package io.ingestnotify.support;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One real CMS of the contract test (CmsContractTest), seen the same way whatever it is: seeded and read with its
 * admin token, reached by the bundle with the token its README lists, or one that may only read files.
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
        return kind.equals("strapi") ? strapi(StrapiServer.shared()) : directus(DirectusServer.shared());
    }

    private static TestCms strapi(StrapiServer s) {
        return new TestCms() {
            public String kind() {
                return "strapi";
            }

            public String url() {
                return s.url();
            }

            public String bundleToken() {
                return StrapiServer.BUNDLE_TOKEN;
            }

            public String readOnlyToken() {
                return StrapiServer.READ_ONLY_TOKEN;
            }

            public String wrongFilesPath() {
                return "/api/filez";
            }

            public String createFile(String name, String storageKey, int company, int bot) {
                return s.createFile(name, storageKey, company, bot);
            }

            public void createPreference(int company, int bot, String email, int threshold, int delay, String format,
                                         boolean enabled, boolean success, boolean errors) {
                s.createPreference(company, bot, email, threshold, delay, format, enabled, success, errors);
            }

            public JsonNode file(String documentId) {
                NodeServer.Answer a = s.file(documentId);
                return a.status() == 200 ? a.body().path("data") : null;
            }

            public Boolean notificationsEnabled(int company, int bot, String email) {
                JsonNode data = s.send("GET", "/api/user-notification-preferences/by-user/" + company + "/" + bot + "/"
                        + email.replace("@", "%40"), StrapiServer.FULL_TOKEN, null).body().path("data");
                return data.path("is_default").asBoolean(false) ? null : data.path("notification_enabled").asBoolean();
            }
        };
    }

    private static TestCms directus(DirectusServer s) {
        return new TestCms() {
            public String kind() {
                return "directus";
            }

            public String url() {
                return s.url();
            }

            public String bundleToken() {
                return DirectusServer.BUNDLE_TOKEN;
            }

            public String readOnlyToken() {
                return DirectusServer.READ_ONLY_TOKEN;
            }

            public String wrongFilesPath() {
                return "/items/ingest_notify_filez";
            }

            public String createFile(String name, String storageKey, int company, int bot) {
                return s.createFile(name, storageKey, company, bot);
            }

            public void createPreference(int company, int bot, String email, int threshold, int delay, String format,
                                         boolean enabled, boolean success, boolean errors) {
                s.createPreference(company, bot, email, threshold, delay, format, enabled, success, errors);
            }

            public JsonNode file(String documentId) {
                return s.file(documentId);
            }

            public Boolean notificationsEnabled(int company, int bot, String email) {
                for (JsonNode p : s.preferences(company, bot)) {
                    if (p.path("user_email").asText().equalsIgnoreCase(email.toLowerCase(Locale.ROOT))) {
                        JsonNode v = p.path("notification_enabled");
                        return v.isNumber() ? v.asInt() != 0 : v.asBoolean();
                    }
                }
                return null;
            }
        };
    }
}
