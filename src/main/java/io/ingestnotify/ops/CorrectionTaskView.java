package io.ingestnotify.ops;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of {@code GET /api/corrections/{id}}, as the OpenAPI document describes it: one auto_correction_tasks row
 * (queries/correction/correction-task.sql), its actions and execution log parsed. CorrectionTasks.view builds it as a map.
 */
public record CorrectionTaskView(
        int id,
        @JsonProperty("file_document_id") String fileDocumentId,
        @JsonProperty("file_name") String fileName,
        @JsonProperty("company_id") Integer companyId,
        @JsonProperty("bot_id") Integer botId,
        @JsonProperty("batch_id") String batchId,
        @JsonProperty("failure_category") String failureCategory,
        @JsonProperty("original_error_message") String originalErrorMessage,
        @JsonProperty("correction_actions") List<String> correctionActions,
        String status,
        @JsonProperty("s3_cleanup_completed") Boolean s3CleanupCompleted,
        @JsonProperty("cms_cleanup_completed") Boolean cmsCleanupCompleted,
        @JsonProperty("chroma_cleanup_completed") Boolean chromaCleanupCompleted,
        @JsonProperty("execution_log") List<Map<String, Object>> executionLog,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("completed_at") String completedAt,
        @JsonProperty("error_during_correction") String errorDuringCorrection,
        @JsonProperty("storage_key") String storageKey,
        int attempts,
        @JsonProperty("next_attempt_at") String nextAttemptAt,
        @JsonProperty("failed_action") String failedAction) {
}
