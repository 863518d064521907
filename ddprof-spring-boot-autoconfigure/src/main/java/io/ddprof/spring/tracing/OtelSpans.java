package io.ddprof.spring.tracing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.tracing.otel.bridge.OtelSpan;
import io.micrometer.tracing.otel.bridge.OtelTraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry's spans as the profiler records them. OpenTelemetry does not know a
 * span's local root (the first span of its trace in this process), so this span processor
 * tracks it as spans start: a span whose parent is remote or absent is a local root, any
 * other inherits its parent's. Only spans open now are tracked, and at most
 * {@link #MAX_OPEN_SPANS} of them; a span the processor never saw (not sampled, or past
 * that bound) takes the local root of the span current on its thread when it belongs to
 * the same trace, else its own id.
 */
public final class OtelSpans implements SpanProcessor, SpanLookup {

	/** The most spans whose local root is tracked at once. */
	static final int MAX_OPEN_SPANS = 65_536;

	private final ScopedSpanCache cache = new ScopedSpanCache();

	private final Map<String, Long> localRoots = new ConcurrentHashMap<>();

	private final EndedSpans ended = new EndedSpans();

	private final SpanScopes scopes;

	private volatile boolean overflowReported;

	/**
	 * Spans recorded by {@code scopes}, which also hears of spans that cannot be tracked.
	 */
	public OtelSpans(SpanScopes scopes) {
		this.scopes = scopes;
	}

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
		try {
			SpanContext parent = Span.fromContext(parentContext).getSpanContext();
			String spanId = span.getSpanContext().getSpanId();
			long localRoot = (!parent.isValid() || parent.isRemote()) ? parseSpanId(spanId) : localRootOf(parent);
			if (this.localRoots.size() < MAX_OPEN_SPANS) {
				this.localRoots.put(spanId, localRoot);
			}
			else if (!this.overflowReported) {
				this.overflowReported = true;
				this.scopes.report("tracing.open-spans",
						"more than " + MAX_OPEN_SPANS
								+ " OpenTelemetry spans open at once (spans started and never ended?): "
								+ "the local root span ids of further spans are guessed");
			}
		}
		catch (RuntimeException ex) {
			this.scopes.report("tracing.local-root", "could not track the local root of an OpenTelemetry span: " + ex);
		}
	}

	@Override
	public boolean isStartRequired() {
		return true;
	}

	@Override
	public void onEnd(ReadableSpan span) {
		SpanContext context = span.getSpanContext();
		String spanId = context.getSpanId();
		Long localRoot = this.localRoots.remove(spanId);
		this.cache.forget(context, spanId.hashCode());
		if (localRoot != null) {
			this.ended.put(parseSpanId(spanId), localRoot);
		}
	}

	/**
	 * Forgets the span of a stopped Observation; {@link #onEnd} does for the spans a span
	 * processor sees, which leaves out those not sampled.
	 */
	@Override
	public void ended(io.micrometer.tracing.Span span) {
		SpanContext context = (span instanceof OtelSpan) ? OtelSpan.toOtel(span).getSpanContext()
				: OtelTraceContext.toOtelSpanContext(span.context());
		if (context != null && context.isValid()) {
			this.cache.forget(context, context.getSpanId().hashCode());
		}
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	/** How many spans have their local root tracked now. */
	int tracked() {
		return this.localRoots.size();
	}

	/**
	 * The scoped span of an OpenTelemetry span context, or {@code null} for an invalid
	 * one.
	 */
	@Nullable ScopedSpan find(SpanContext context, @Nullable ScopedSpan enclosing) {
		if (!context.isValid()) {
			return null;
		}
		String spanIdHex = context.getSpanId();
		int hash = spanIdHex.hashCode();
		ScopedSpan span = this.cache.find(context, hash);
		if (span == null) {
			long spanId = parseSpanId(spanIdHex);
			String traceId = context.getTraceId();
			long traceIdLow = Long.parseUnsignedLong(traceId, traceId.length() - 16, traceId.length(), 16);
			Long localRoot = this.localRoots.get(spanIdHex);
			long localRootId;
			if (localRoot != null) {
				localRootId = localRoot;
			}
			else if (enclosing != null && enclosing.traceIdLow() == traceIdLow) {
				localRootId = enclosing.localRootSpanId();
			}
			else {
				localRootId = spanId;
			}
			span = ScopedSpan.of(traceId, traceIdLow, spanId, localRootId);
			this.cache.put(context, hash, span);
		}
		return span;
	}

	/**
	 * The Observation handler that records the scopes of OpenTelemetry spans into
	 * {@code scopes}.
	 */
	public ProfilingObservationHandler observationHandler(SpanScopes scopes) {
		return new ProfilingObservationHandler(scopes, this);
	}

	@Override
	public @Nullable ScopedSpan find(io.micrometer.tracing.Span span, @Nullable ScopedSpan enclosing) {
		if (span instanceof OtelSpan) {
			return find(OtelSpan.toOtel(span).getSpanContext(), enclosing);
		}
		SpanContext context = OtelTraceContext.toOtelSpanContext(span.context());
		return (context != null) ? find(context, enclosing) : null;
	}

	private long localRootOf(SpanContext parent) {
		String parentId = parent.getSpanId();
		Long localRoot = this.localRoots.get(parentId);
		if (localRoot != null) {
			return localRoot;
		}
		// The parent ended already (a child started after it, asynchronously): its local
		// root is among those of the spans that ended last, unless many ended since.
		long id = parseSpanId(parentId);
		return this.ended.localRootOf(id, id);
	}

	private static long parseSpanId(String hex) {
		return Long.parseUnsignedLong(hex, 0, hex.length(), 16);
	}

	/**
	 * The local roots of the spans that ended last, for a child that starts after its
	 * parent ended. Direct-mapped over {@value #SLOTS} slots of primitive ids, so that it
	 * keeps no object of a request alive after it (see {@link ScopedSpanCache}).
	 */
	static final class EndedSpans {

		static final int SLOTS = 4096;

		private final long[] spanIds = new long[SLOTS];

		private final long[] localRoots = new long[SLOTS];

		synchronized void put(long spanId, long localRoot) {
			int index = index(spanId);
			this.spanIds[index] = spanId;
			this.localRoots[index] = localRoot;
		}

		/**
		 * The local root of {@code spanId} if it ended lately, else {@code otherwise}.
		 */
		synchronized long localRootOf(long spanId, long otherwise) {
			int index = index(spanId);
			return (spanId != 0 && this.spanIds[index] == spanId) ? this.localRoots[index] : otherwise;
		}

		private static int index(long spanId) {
			int hash = Long.hashCode(spanId);
			return (hash ^ (hash >>> 16)) & (SLOTS - 1);
		}

	}

}
