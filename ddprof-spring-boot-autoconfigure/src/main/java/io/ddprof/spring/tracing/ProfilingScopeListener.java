package io.ddprof.spring.tracing;

import io.micrometer.tracing.otel.bridge.EventListener;
import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper.ScopeAttachedEvent;
import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper.ScopeClosedEvent;
import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper.ScopeRestoredEvent;
import io.opentelemetry.api.trace.Span;
import org.jspecify.annotations.Nullable;

/**
 * Tells the profiler about every OpenTelemetry context attached to a thread, including
 * those of spans made directly through the tracer rather than by an Observation. Boot's
 * OpenTelemetry auto-configuration hands every {@link EventListener} bean the scope
 * events of the context storage. A close event does not say which scope closed:
 * OpenTelemetry closes them innermost first, and the restore event that follows lets the
 * stack catch up when not.
 */
public final class ProfilingScopeListener implements EventListener {

	private final SpanScopes scopes;

	private final OtelSpans spans;

	/** Records OpenTelemetry's scopes into {@code scopes}. */
	public ProfilingScopeListener(SpanScopes scopes, OtelSpans spans) {
		this.scopes = scopes;
		this.spans = spans;
	}

	@Override
	public void onEvent(Object event) {
		try {
			if (event instanceof ScopeAttachedEvent attached) {
				this.scopes.open(find(attached.getSpan()));
			}
			else if (event instanceof ScopeClosedEvent) {
				this.scopes.closeInnermost();
			}
			else if (event instanceof ScopeRestoredEvent restored) {
				this.scopes.restored(find(restored.getSpan()));
			}
		}
		catch (RuntimeException ex) {
			this.scopes.report("tracing.otel", "could not record an OpenTelemetry scope: " + ex);
		}
	}

	private @Nullable ScopedSpan find(@Nullable Span span) {
		return (span != null) ? this.spans.find(span.getSpanContext(), this.scopes.innermost()) : null;
	}

}
