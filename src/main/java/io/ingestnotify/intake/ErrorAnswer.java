package io.ingestnotify.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The JSON body of every refusal or failure of the HTTP API, as the OpenAPI document describes it (the routes and
 * HttpGuard build it as a map): the reason, and the field or limit when there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Error")
public record ErrorAnswer(
        @Schema(description = "What went wrong; a 500 names an error id to find in the log") String error,
        @Schema(description = "The field (or path parameter) a 400 is about") String field,
        @Schema(description = "The HTTP status (refusals before any route runs: 401, 403, 413, 415)") Integer status,
        @JsonProperty("max_events_per_request") @Schema(description = "The limit a 413 for too many events exceeded") Integer maxEventsPerRequest) {
}
