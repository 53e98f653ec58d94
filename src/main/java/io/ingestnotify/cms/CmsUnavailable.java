package io.ingestnotify.cms;

/**
 * The CMS could not answer a call the intake needs now (the metadata look-up): down, slow or 5xx. Like a database
 * outage, retrying later helps (503 over HTTP; outbox rows are taken again when their lease ends).
 */
public class CmsUnavailable extends RuntimeException {

    public CmsUnavailable(String message) {
        super(message);
    }
}
