package io.ingestnotify.common;

import org.apache.camel.LoggingLevel;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

/** Exponential back-off as the settings say it (Camel's default would cap a delay at 60 s), waiting without a thread. */
public final class BackOff {

    private BackOff() {
    }

    public static RedeliveryPolicy of(int redeliveries, long firstDelayMillis, double multiplier) {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(redeliveries);
        policy.setRedeliveryDelay(firstDelayMillis);
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(multiplier);
        policy.setMaximumRedeliveryDelay(86_400_000);
        policy.setAsyncDelayedRedelivery(true);
        policy.setRetryAttemptedLogLevel(LoggingLevel.DEBUG);
        policy.setLogRetryAttempted(false);
        policy.setLogExhausted(false);
        return policy;
    }
}
