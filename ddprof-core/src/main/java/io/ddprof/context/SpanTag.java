package io.ddprof.context;

import org.jspecify.annotations.Nullable;

/**
 * The text carried by a span interval event ({@code profiler.Span}'s tag, or the JFR
 * engine's {@code ddprof.Span}): either the ids of a span in scope, or the endpoint of a
 * local root span. One class writes and reads it, so the recorder and the exporter cannot
 * disagree.
 * <p>
 * Forms: {@code s <traceId> <spanId> <localRootSpanId>} for a scope, and
 * {@code e <localRootSpanId> <operation> <endpoint>} for an endpoint (the endpoint may
 * hold spaces, the operation may not).
 *
 * @param traceId the trace id as hex (128 or 64 bit), or {@code null} for an endpoint
 * record
 * @param spanId the span id, or 0 for an endpoint record
 * @param localRootSpanId the local root span id
 * @param endpoint the endpoint, or {@code null} for a scope record
 * @param operation the local root span's operation as Datadog names it (such as
 * {@code servlet.request}), or {@code null} for a scope record
 */
public record SpanTag(@Nullable String traceId, long spanId, long localRootSpanId, @Nullable String endpoint,
		@Nullable String operation) {

	/** The tag of a span scope. */
	public SpanTag(String traceId, long spanId, long localRootSpanId) {
		this(traceId, spanId, localRootSpanId, null, null);
	}

	/** The tag text of a span scope. */
	public static String scope(String traceId, long spanId, long localRootSpanId) {
		return "s " + traceId + " " + Long.toUnsignedString(spanId) + " " + Long.toUnsignedString(localRootSpanId);
	}

	/**
	 * The tag text naming the endpoint of a local root span and the operation of the
	 * server that served it; an operation holding a space or empty is written as
	 * {@code unknown}.
	 */
	public static String endpoint(long localRootSpanId, String operation, String endpoint) {
		String op = (operation == null || operation.isEmpty() || operation.indexOf(' ') >= 0) ? "unknown" : operation;
		return "e " + Long.toUnsignedString(localRootSpanId) + " " + op + " " + endpoint;
	}

	/** Whether this tag names an endpoint rather than a span scope. */
	public boolean isEndpoint() {
		return this.endpoint != null;
	}

	/**
	 * Parses a tag written by {@link #scope} or {@link #endpoint}; {@code null} for
	 * anything else.
	 */
	public static @Nullable SpanTag parse(String text) {
		if (text == null || text.length() < 3 || text.charAt(1) != ' ') {
			return null;
		}
		try {
			if (text.charAt(0) == 's') {
				String[] parts = text.split(" ", 4);
				if (parts.length == 4) {
					return new SpanTag(parts[1], Long.parseUnsignedLong(parts[2]), Long.parseUnsignedLong(parts[3]));
				}
			}
			else if (text.charAt(0) == 'e') {
				String[] parts = text.split(" ", 4);
				if (parts.length == 4) {
					return new SpanTag(null, 0, Long.parseUnsignedLong(parts[1]), parts[3], parts[2]);
				}
			}
		}
		catch (NumberFormatException ex) {
			return null;
		}
		return null;
	}

}
