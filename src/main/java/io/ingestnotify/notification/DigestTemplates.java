package io.ingestnotify.notification;

import java.net.URL;

import freemarker.cache.URLTemplateLoader;
import freemarker.template.Configuration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;

/**
 * The FreeMarker configuration the digest templates render with: templates are found in TEMPLATES_DIR
 * ({@code classpath:templates} or a {@code file:} folder) and parsed once, then served from FreeMarker's cache
 * (a file is re-read when it changes). camel-freemarker parses a template with a scheme in its URI on every exchange,
 * so the routes name the templates without one and point the endpoint at this configuration.
 */
public final class DigestTemplates {

    private DigestTemplates() {
    }

    public static Configuration configuration(CamelContext context, String templatesDir) {
        String dir = templatesDir.endsWith("/") ? templatesDir.substring(0, templatesDir.length() - 1) : templatesDir;
        Configuration configuration = new Configuration(Configuration.VERSION_2_3_34);
        configuration.setDefaultEncoding("UTF-8");
        configuration.setLocalizedLookup(false);
        // Counts as digits, whatever the JVM's locale (10000, not 10,000 or 10.000): the subject says them so too.
        configuration.setNumberFormat("computer");
        configuration.setTemplateLoader(new URLTemplateLoader() {
            @Override
            protected URL getURL(String name) {
                try {
                    return ResourceHelper.resolveMandatoryResourceAsUrl(context, dir + "/" + name);
                } catch (Exception e) {
                    return null;   // FreeMarker reports the template as not found
                }
            }
        });
        return configuration;
    }
}
