package io.ingestnotify.ops;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /api/ops/summary} (what the ops page shows), as the OpenAPI document describes it: each
 * list holds the rows of its queries/ops-*.sql query. OpsSummary builds it as a map.
 */
public record OpsSummaryView(
        List<Map<String, Object>> batchStatus,
        List<Map<String, Object>> emailStatus,
        List<Map<String, Object>> correctionStatus,
        List<Map<String, Object>> openBatches,
        List<Map<String, Object>> recentMails,
        List<Map<String, Object>> failedCorrections,
        Map<String, Object> heldCorrections,
        String instance,
        List<Map<String, Object>> leases,
        List<Map<String, Object>> heldDigests,
        List<Map<String, Object>> suppressions,
        List<Map<String, Object>> tables,
        Map<String, Object> retention) {
}
