package io.ingestnotify.intake;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One event of {@code POST /api/events}, as the OpenAPI document describes it. The intake never binds to this type:
 * EventParser reads the raw body (strictly) itself; this record is the contract a pipeline generates its client from.
 */
@Schema(name = "FileEvent", description = "One file-processing outcome. The body is one such object or an array of them.")
public record FileEventBody(
        @JsonProperty(value = "event_id", required = true) @Schema(description = "The source's id; a repeat is ignored", maxLength = 200) String eventId,
        @JsonProperty(value = "file_document_id", required = true) @Schema(description = "The CMS document id of the file") String fileDocumentId,
        @JsonProperty(value = "status", required = true) @Schema(allowableValues = {"success", "failed"}) String status,
        @JsonProperty("user_email") @Schema(description = "Who uploaded; else DEFAULT_RECIPIENT") String userEmail,
        @JsonProperty("company_id") @Schema(description = "Looked up by document id when absent") Integer companyId,
        @JsonProperty("bot_id") @Schema(description = "Looked up by document id when absent") Integer botId,
        @JsonProperty("file_name") String fileName,
        @JsonProperty("storage_key") @Schema(description = "S3 key of the file") String storageKey,
        @JsonProperty("file_size_bytes") Long fileSizeBytes,
        @JsonProperty("stage") @Schema(allowableValues = {"download", "processing", "storage", "completed", "failed"}) String stage,
        @JsonProperty("chunks_created") Integer chunksCreated,
        @JsonProperty("processing_time_seconds") BigDecimal processingTimeSeconds,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("error_category") @Schema(description = "Derived from error_message when absent") String errorCategory,
        @JsonProperty("occurred_at") @Schema(description = "ISO-8601; defaults to receipt time", format = "date-time") String occurredAt) {
}
