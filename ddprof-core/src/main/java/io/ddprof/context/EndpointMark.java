package io.ddprof.context;

/**
 * The endpoint of a local root span, as the tracing bridge recorded it when the server
 * request ended: one per request served in the windows read.
 *
 * @param localRootSpanId the id of the request's local root span
 * @param endpoint the route, such as {@code GET /orders/{id}}
 * @param operation the server's operation as Datadog names it, such as
 * {@code servlet.request}
 * @param timeNanos when it was recorded, in nanoseconds since the epoch
 * @param threadId the Java thread id of the thread that recorded it
 * @param threadName that thread's name
 */
public record EndpointMark(long localRootSpanId, String endpoint, String operation, long timeNanos, long threadId,
		String threadName) {

}
