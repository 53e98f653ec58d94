package io.ingestnotify.config;

import org.apache.camel.Header;

/**
 * The one place that decides which outside systems are configured (S3_BUCKET, CMS_API_URL, CHROMA_URL): the
 * clean-up branches skip an action whose system is not, the CMS marks and preference fetches do not call a CMS
 * that is not.
 */
public class ConfiguredSystems {

    private final boolean s3;
    private final boolean cms;
    private final boolean chroma;

    public ConfiguredSystems(String s3Bucket, String cmsApiUrl, String chromaUrl) {
        this.s3 = present(s3Bucket);
        this.cms = present(cmsApiUrl);
        this.chroma = present(chromaUrl);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    public boolean s3() {
        return s3;
    }

    public boolean cms() {
        return cms;
    }

    public boolean chroma() {
        return chroma;
    }

    /** Why a clean-up action cannot run here (its system's setting is empty), or null when it can. */
    public String notConfigured(@Header("action") String action) {
        return switch (action) {
            case "s3_delete" -> s3 ? null : "S3 not configured (S3_BUCKET)";
            case "cms_delete" -> cms ? null : "CMS not configured (CMS_API_URL)";
            case "chroma_delete" -> chroma ? null : "Chroma not configured (CHROMA_URL)";
            default -> throw new IllegalArgumentException("unknown clean-up action " + action);
        };
    }
}
