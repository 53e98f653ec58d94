package io.ingestnotify.cms;

/**
 * The CMS refused a call because of how this bundle or the CMS is set up (a token without permission, a path no route
 * serves, a collection or content type without the bundle's fields): retrying cannot help until the setting is fixed,
 * so it is never redelivered as an outage would be. The contract's routes (cms.camel.yaml) signal it the same way for
 * every CMS, with the CMS's own reason in the message.
 */
public class CmsMisconfigured extends RuntimeException {

    public CmsMisconfigured(String message) {
        super(message);
    }
}
