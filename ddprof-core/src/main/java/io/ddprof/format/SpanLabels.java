package io.ddprof.format;

import org.jspecify.annotations.Nullable;

/**
 * The span a sample was taken in: the innermost span in scope on the sample's thread, and
 * the endpoint recorded for its local root span.
 *
 * @param traceId the trace id as hex
 * @param spanId the span id
 * @param localRootSpanId the id of the first span of the trace in this service
 * @param endpoint the endpoint of the local root span (such as {@code GET /orders/{id}}),
 * or {@code null} when none was recorded
 */
public record SpanLabels(String traceId, long spanId, long localRootSpanId, @Nullable String endpoint) {

}
