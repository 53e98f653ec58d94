package io.ingestnotify.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ingestnotify.event.FileEvent;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka intake's steps (routes in kafka.camel.yaml): a poll's batch of records becomes one group, filed in one
 * intake transaction; only then are the batch's offsets committed, per partition up to its last record, on the
 * consumer's own thread (a KafkaConsumer is single-threaded). Until then nothing is committed: a crash, a rebalance or
 * a failed batch gives the records to the next owner of the partition (filed again, duplicates by event_id).
 */
public class KafkaRecords {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecords.class);

    private final EventParser parser;

    public KafkaRecords(EventParser parser) {
        this.parser = parser;
    }

    /** The batch (camel-kafka's batching: one exchange per record) as records, each parsed or refused with its reason. */
    public List<KafkaRecord> receive(@Body List<Exchange> batch) {
        List<KafkaRecord> records = new ArrayList<>(batch.size());
        for (Exchange e : batch) {
            Message m = e.getMessage();
            KafkaRecord r = new KafkaRecord(m.getHeader(KafkaConstants.TOPIC, String.class),
                    m.getHeader(KafkaConstants.PARTITION, Integer.class), m.getHeader(KafkaConstants.OFFSET, Long.class),
                    m.getHeader(KafkaConstants.KEY), m.getBody(), m.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
            try {
                r.events(parser.parseAny(r.value()));
            } catch (InvalidEventException refused) {
                // Unparseable, or an event breaking the contract: never filed, so never worth a redelivery.
                r.refusal(refused.getMessage());
            }
            records.add(r);
        }
        return records;
    }

    /** The records that cannot be filed: to the dead letter. */
    public List<KafkaRecord> refused(@Body List<KafkaRecord> records) {
        return records.stream().filter(r -> r.refusal() != null).toList();
    }

    /** The records to file, in poll order. */
    public List<KafkaRecord> fileable(@Body List<KafkaRecord> records) {
        return records.stream().filter(r -> r.refusal() == null).toList();
    }

    /** The events of the records to file: one intake transaction. */
    public List<FileEvent> events(@Body List<KafkaRecord> records) {
        List<FileEvent> events = new ArrayList<>();
        records.forEach(r -> events.addAll(r.events()));
        return events;
    }

    /**
     * After the commit (and the dead letters published): each partition's offset moved past its last record of the
     * batch. camel-kafka runs the batch's route on the consumer's polling thread, so commitSync happens there. A commit
     * the group refuses (this consumer lost the partition meanwhile) only means the records come back as duplicates.
     */
    public void commit(@Body List<KafkaRecord> records) {
        Map<String, KafkaRecord> last = new LinkedHashMap<>();
        for (KafkaRecord r : records) {
            last.merge(r.topic() + "-" + r.partition(), r, (a, b) -> b.offset() > a.offset() ? b : a);
        }
        for (KafkaRecord r : last.values()) {
            try {
                r.commit().commit();
            } catch (RuntimeException e) {
                LOG.warn("Kafka offset {} not committed ({}); its records come back as duplicates", r, e.getMessage());
            }
        }
        LOG.debug("Kafka batch committed: {} records, partitions {}", records.size(), last.keySet());
    }
}
