package io.ingestnotify.intake;

import java.util.List;

import io.ingestnotify.event.FileEvent;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * One Kafka record of a poll's batch: where it sits (topic, partition, offset: what is committed once its batch is
 * filed), its key and value as received (the dead letter carries them unchanged), its events or the reason it cannot
 * be filed.
 */
public final class KafkaRecord {

    private final String topic;
    private final int partition;
    private final long offset;
    private final Object key;
    private final Object value;
    private final KafkaManualCommit commit;
    private List<FileEvent> events = List.of();
    private String refusal;

    KafkaRecord(String topic, int partition, long offset, Object key, Object value, KafkaManualCommit commit) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
        this.commit = commit;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public Object key() {
        return key;
    }

    /** The record's value as received. */
    public Object value() {
        return value;
    }

    KafkaManualCommit commit() {
        return commit;
    }

    public List<FileEvent> events() {
        return events;
    }

    void events(List<FileEvent> parsed) {
        this.events = parsed;
    }

    /** Why the record cannot be filed (it goes to the dead letter), or null. */
    public String refusal() {
        return refusal;
    }

    void refusal(String reason) {
        this.refusal = reason;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
