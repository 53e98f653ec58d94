package io.ingestnotify.intake;

import java.util.List;

import com.rabbitmq.client.Channel;
import io.ingestnotify.event.FileEvent;

/**
 * One RabbitMQ message on its way to a group: the channel and delivery tag it must be acknowledged on (after the
 * group's intake transaction committed, never before), its body as received (for the dead letter), and its events.
 */
public final class RabbitDelivery {

    private final Channel channel;
    private final long deliveryTag;
    private final Object body;
    private List<FileEvent> events = List.of();

    RabbitDelivery(Channel channel, long deliveryTag, Object body) {
        this.channel = channel;
        this.deliveryTag = deliveryTag;
        this.body = body;
    }

    public Channel channel() {
        return channel;
    }

    public long deliveryTag() {
        return deliveryTag;
    }

    /** The message body as received: the dead letter carries it unchanged. */
    public Object body() {
        return body;
    }

    public List<FileEvent> events() {
        return events;
    }

    void events(List<FileEvent> parsed) {
        this.events = parsed;
    }
}
