package io.ingestnotify;

import io.ingestnotify.intake.KafkaMisconfiguration;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which poll failures stop the Kafka intake as a misconfiguration, and what the reason names (KafkaSecurityTest: against a broker). */
class KafkaMisconfigurationTest {

    @Test
    void anOutageIsNoMisconfigurationTheConsumerPollsOn() {
        KafkaMisconfiguration m = new KafkaMisconfiguration("SASL_SSL", "SCRAM-SHA-512", "hub");
        m.handle(-1, new TimeoutException("Timeout expired while fetching topic metadata"));
        assertThat(m.canContinue()).isTrue();
        assertThat(m.reason()).isNull();
    }

    @Test
    void aRefusedGroupNamesTheUserTopicAndGroupAndTheFirstReasonStays() {
        KafkaMisconfiguration m = new KafkaMisconfiguration("SASL_SSL", "SCRAM-SHA-512", "hub");
        m.handle(-1, new GroupAuthorizationException("Not authorized to access group: ingest-notify", "ingest-notify"));
        m.handle(-1, new SaslAuthenticationException("later"));
        m.reset();   // a consumer subscribing again does not clear it: only a restart with the setting fixed does
        assertThat(m.canContinue()).isFalse();
        assertThat(m.reason()).contains("KAFKA_USER 'hub'", "KAFKA_TOPIC", "KAFKA_GROUP_ID", "Not authorized to access group")
                .doesNotContain("later");
    }

    @Test
    void aRefusedLoginNamesUserAndPassword() {
        KafkaMisconfiguration m = new KafkaMisconfiguration("SASL_PLAINTEXT", "PLAIN", "hub");
        m.handle(-1, new SaslAuthenticationException("Authentication failed: Invalid username or password"));
        assertThat(m.canContinue()).isFalse();
        assertThat(m.reason()).contains("KAFKA_USER and KAFKA_PASSWORD", "SASL_PLAINTEXT PLAIN");
    }
}
