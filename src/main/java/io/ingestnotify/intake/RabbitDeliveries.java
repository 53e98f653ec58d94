package io.ingestnotify.intake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import io.ingestnotify.event.FileEvent;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ intake's acknowledgements (routes in rabbitmq.camel.yaml): a message is acknowledged only once its
 * events are in PostgreSQL (the group's transaction committed) or its dead letter is published; a group that could
 * not be filed is handed back to the broker unacknowledged (requeued), so nothing is lost and a redelivered message is
 * a duplicate by event_id.
 */
public class RabbitDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitDeliveries.class);
    /** Names of the consumer's exchange property and header (SpringRabbitMQConstants, manual acknowledgement). */
    static final String CHANNEL = "CamelSpringRabbitmqChannel";
    static final String DELIVERY_TAG = "CamelSpringRabbitmqDeliveryTag";

    private final EventParser parser;

    public RabbitDeliveries(EventParser parser) {
        this.parser = parser;
    }

    /** The message as a delivery to acknowledge later. */
    public RabbitDelivery receive(@ExchangeProperty(CHANNEL) Channel channel, @Header(DELIVERY_TAG) long deliveryTag, @Body Object body) {
        return new RabbitDelivery(channel, deliveryTag, body);
    }

    /** Parses the message's events (InvalidEventException / TooManyEventsException: the message goes to the dead letter). */
    public RabbitDelivery parse(@Body RabbitDelivery delivery) {
        delivery.events(parser.parseAny(delivery.body()));
        return delivery;
    }

    /** The events of a group of messages, in arrival order: one intake transaction. */
    public List<FileEvent> events(@Body List<RabbitDelivery> group) {
        List<FileEvent> events = new ArrayList<>();
        group.forEach(d -> events.addAll(d.events()));
        return events;
    }

    /** After the commit: every message of the group acknowledged on its own channel. */
    public void ack(List<RabbitDelivery> group) {
        group.forEach(this::ackOne);
    }

    public void ackOne(@Body RabbitDelivery delivery) {
        try {
            delivery.channel().basicAck(delivery.deliveryTag(), false);
        } catch (IOException | RuntimeException e) {
            // The channel closed after the commit: the broker redelivers the message, filed again as a duplicate.
            LOG.warn("RabbitMQ acknowledgement lost ({}); the message comes back as a duplicate", e.getMessage());
        }
    }

    /** Not filed, not dead-lettered: back to the queue for a later delivery (here or on another instance). */
    public void requeueOne(@Body RabbitDelivery delivery) {
        try {
            delivery.channel().basicNack(delivery.deliveryTag(), false, true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("RabbitMQ requeue lost ({}); the broker redelivers the message when its channel closes", e.getMessage());
        }
    }
}
