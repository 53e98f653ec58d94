package io.ingestnotify.cms;

/**
 * The CMS refused a call because of how this bundle is set up (401, 403, 405, or 400 "Invalid key"): a wrong
 * CMS_API_URL or CMS_API_TOKEN, or a CMS without this bundle's content types. Retrying cannot help until the setting
 * is fixed, so it is never redelivered as an outage would be. Thrown by route ingest-notify-cms-call.
 */
public class CmsMisconfigured extends RuntimeException {

    public CmsMisconfigured(String message) {
        super(message);
    }
}
