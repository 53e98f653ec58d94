package io.ingestnotify.config;

/** The Kafka client's SASL login line (sasl.jaas.config) for KAFKA_USER / KAFKA_PASSWORD; never logged. */
final class KafkaLogin {

    private KafkaLogin() {
    }

    static String jaasConfig(String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + quoted(user) + "\" password=\"" + quoted(password) + "\";";
    }

    /** JAAS's quoted string: a backslash or a double quote escaped. */
    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
