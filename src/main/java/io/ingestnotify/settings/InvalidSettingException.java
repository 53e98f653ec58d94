package io.ingestnotify.settings;

/** A setting that cannot be used: a misconfiguration, which stops start-up and is never retried. */
public class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidSettingException(String message) {
        super(message);
    }
}
