package io.ingestnotify.routes;

import java.util.Map;

import io.ingestnotify.support.AppTestSupport;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.ingestnotify.routes.CorrectionRouteTest.adviseCleanups;
import static io.ingestnotify.routes.CorrectionRouteTest.awaitEnd;
import static io.ingestnotify.routes.CorrectionRouteTest.correctionProperties;
import static io.ingestnotify.routes.CorrectionRouteTest.makeDue;
import static io.ingestnotify.routes.CorrectionRouteTest.postFailed;
import static org.assertj.core.api.Assertions.assertThat;

/** Route run-correction with AUTO_CORRECTION_DRY_RUN=true: the plan is logged, the task ends dry_run, nothing is called. */
class CorrectionDryRunRouteTest extends AppTestSupport {

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> p = correctionProperties();
        p.put("ingest-notify.correction.dry.run", "true");
        startApp(p);
        adviseCleanups(app.context());
    }

    @Test
    void aDryRunLogsThePlanAndDeletesNothing() throws Exception {
        postFailed("dry-1", "processing_error", "k/dry-1.pdf");
        makeDue("dry-1");

        Map<String, Object> task = awaitEnd("dry-1");
        assertThat(task.get("status")).isEqualTo("dry_run");
        assertThat(task.get("log").toString()).contains("AUTO_CORRECTION_DRY_RUN: would run", "k/dry-1.pdf", "nothing deleted");
        assertThat(app.context().getEndpoint("mock:s3-delete", MockEndpoint.class).getReceivedCounter()).isZero();
        assertThat(app.context().getEndpoint("mock:cms-delete", MockEndpoint.class).getReceivedCounter()).isZero();
    }
}
