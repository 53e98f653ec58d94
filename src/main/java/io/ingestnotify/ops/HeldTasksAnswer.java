package io.ingestnotify.ops;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer of the held-task verbs: how many tasks were released ({@code /release}) or cancelled ({@code /cancel}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeldTasksAnswer(Integer released, Integer cancelled) {
}
