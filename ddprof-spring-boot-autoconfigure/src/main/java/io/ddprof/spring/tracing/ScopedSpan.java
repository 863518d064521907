package io.ddprof.spring.tracing;

import io.ddprof.context.SpanTag;
import org.jspecify.annotations.Nullable;

/**
 * A span as the profiler records it, with its tag text built once: scope changes happen
 * far more often than spans start, so they only pass this value around.
 *
 * @param traceIdLow the low 64 bits of the trace id
 * @param spanId the span id
 * @param localRootSpanId the id of the first span of the trace in this process
 * @param tag the {@link SpanTag#scope} text of the span's intervals
 */
record ScopedSpan(long traceIdLow, long spanId, long localRootSpanId, String tag) {

	/**
	 * A span of the given trace (its id as the tracer writes it, 16 or 32 hex digits).
	 */
	static ScopedSpan of(String traceIdHex, long traceIdLow, long spanId, long localRootSpanId) {
		return new ScopedSpan(traceIdLow, spanId, localRootSpanId, SpanTag.scope(traceIdHex, spanId, localRootSpanId));
	}

	/** Whether this is the first span of its trace in this process. */
	boolean isLocalRoot() {
		return this.spanId == this.localRootSpanId;
	}

	/**
	 * Whether both describe the same span; {@code null} (a scope without a span) only
	 * matches itself.
	 */
	static boolean same(@Nullable ScopedSpan a, @Nullable ScopedSpan b) {
		if (a == b) {
			return true;
		}
		return a != null && b != null && a.spanId == b.spanId && a.traceIdLow == b.traceIdLow;
	}

}
