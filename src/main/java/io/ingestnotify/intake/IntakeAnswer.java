package io.ingestnotify.intake;

import java.util.Collection;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The 202 answer of {@code POST /api/events}: what happened to the request's events, and the batches they joined. */
public record IntakeAnswer(
        int accepted,
        int duplicates,
        int rejected,
        @JsonProperty("no_recipient") int noRecipient,
        @JsonProperty("file_not_found") int fileNotFound,
        @JsonProperty("recipient_not_allowed") int recipientNotAllowed,
        @JsonProperty("metadata_mismatch") int metadataMismatch,
        Collection<String> batches) {
}
