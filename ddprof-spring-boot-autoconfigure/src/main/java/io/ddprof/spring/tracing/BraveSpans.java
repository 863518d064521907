package io.ddprof.spring.tracing;

import brave.propagation.TraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.brave.bridge.BraveSpan;
import io.micrometer.tracing.brave.bridge.BraveTraceContext;
import org.jspecify.annotations.Nullable;

/**
 * Brave's spans as the profiler records them. Brave knows each span's local root
 * ({@link TraceContext#localRootId()}), so nothing needs tracking here.
 */
public final class BraveSpans implements SpanLookup {

	private final ScopedSpanCache cache = new ScopedSpanCache();

	/** Finds the scoped span of a Brave trace context. */
	ScopedSpan find(TraceContext context) {
		long spanId = context.spanId();
		int hash = Long.hashCode(spanId);
		ScopedSpan span = this.cache.find(context, hash);
		if (span == null) {
			// A context built by hand rather than by a tracer has no local root: it is
			// its own.
			long localRootId = (context.localRootId() != 0) ? context.localRootId() : spanId;
			span = ScopedSpan.of(context.traceIdString(), context.traceId(), spanId, localRootId);
			this.cache.put(context, hash, span);
		}
		return span;
	}

	/** Forgets the scoped span of a Brave trace context whose span ended. */
	void ended(TraceContext context) {
		this.cache.forget(context, Long.hashCode(context.spanId()));
	}

	/**
	 * The Observation handler that records the scopes of Brave spans into {@code scopes}.
	 */
	public ProfilingObservationHandler observationHandler(SpanScopes scopes) {
		return new ProfilingObservationHandler(scopes, this);
	}

	@Override
	public @Nullable ScopedSpan find(Span span, @Nullable ScopedSpan enclosing) {
		if (span instanceof BraveSpan) {
			// Unwrapped without allocating, unlike span.context().
			return find(BraveSpan.toBrave(span).context());
		}
		io.micrometer.tracing.TraceContext context = span.context();
		return (context instanceof BraveTraceContext) ? find(BraveTraceContext.toBrave(context)) : null;
	}

	@Override
	public void ended(Span span) {
		if (span instanceof BraveSpan) {
			ended(BraveSpan.toBrave(span).context());
		}
		else if (span.context() instanceof BraveTraceContext context) {
			ended(BraveTraceContext.toBrave(context));
		}
	}

}
