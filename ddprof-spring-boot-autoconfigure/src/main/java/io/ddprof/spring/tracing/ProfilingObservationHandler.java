package io.ddprof.spring.tracing;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.NullObservation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import org.jspecify.annotations.Nullable;

/**
 * Tells the profiler when an Observation's span comes into scope on a thread and leaves
 * it (including Reactor restoring an Observation after a thread hop, and resetting
 * scopes), and records the endpoint of each server request ({@code GET /orders/{id}},
 * from the low-cardinality keys {@code method} and {@code uri} of Spring MVC's and
 * WebFlux's server observations) once, for its local root span, when the request's
 * observation stops.
 * <p>
 * The span comes from the tracing handler that started it; the same scope is usually also
 * seen by the tracer's own hook, and {@link SpanScopes} records it once.
 */
public final class ProfilingObservationHandler implements ObservationHandler<Observation.Context> {

	/** dd-java-agent's operation name for a request served by a Servlet container. */
	static final String SERVLET_OPERATION = "servlet.request";

	/** dd-java-agent's operation name for a request served by Reactor Netty. */
	static final String NETTY_OPERATION = "netty.request";

	// WebFlux's request on Reactor Netty: ReactorServerHttpRequest (and
	// ReactorNetty2ServerHttpRequest).
	private static final String REACTOR_REQUEST = "org.springframework.http.server.reactive.Reactor";

	private final SpanScopes scopes;

	private final SpanLookup spans;

	// No tracer bridge's type may appear in this class's signatures: Spring introspects
	// them,
	// and an application has only one of the bridges. BraveSpans and OtelSpans make
	// handlers.
	ProfilingObservationHandler(SpanScopes scopes, SpanLookup spans) {
		this.scopes = scopes;
		this.spans = spans;
	}

	@Override
	public void onScopeOpened(Observation.Context context) {
		try {
			if (context instanceof NullObservation.NullContext) {
				// Reactor clearing the Observation of a thread that has nothing to
				// propagate.
				this.scopes.open(null);
				return;
			}
			ScopedSpan span = find(context);
			if (span != null) {
				this.scopes.open(span);
			}
		}
		catch (RuntimeException ex) {
			report(ex);
		}
	}

	@Override
	public void onScopeClosed(Observation.Context context) {
		try {
			if (context instanceof NullObservation.NullContext) {
				this.scopes.close(null);
				return;
			}
			ScopedSpan span = find(context);
			if (span != null) {
				this.scopes.close(span);
			}
		}
		catch (RuntimeException ex) {
			report(ex);
		}
	}

	@Override
	public void onScopeReset(Observation.Context context) {
		try {
			this.scopes.reset();
		}
		catch (RuntimeException ex) {
			report(ex);
		}
	}

	@Override
	public void onStop(Observation.Context context) {
		try {
			TracingContext tracing = context.get(TracingContext.class);
			Span tracingSpan = (tracing != null) ? tracing.getSpan() : null;
			if (tracingSpan == null) {
				return;
			}
			if (context instanceof ReceiverContext<?> receiver && receiver.getKind() == Kind.SERVER) {
				ScopedSpan span = this.spans.find(tracingSpan, this.scopes.innermost());
				String endpoint = endpoint(context);
				// The endpoint names the local root span; a server span inside another
				// local span does not name the trace's work in this process.
				if (span != null && span.isLocalRoot() && endpoint != null) {
					this.scopes.endpoint(span.localRootSpanId(), operation(receiver), endpoint);
				}
			}
			this.spans.ended(tracingSpan);
		}
		catch (RuntimeException ex) {
			report(ex);
		}
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return true;
	}

	private @Nullable ScopedSpan find(Observation.Context context) {
		TracingContext tracing = context.get(TracingContext.class);
		Span span = (tracing != null) ? tracing.getSpan() : null;
		return (span != null) ? this.spans.find(span, this.scopes.innermost()) : null;
	}

	/**
	 * The operation name dd-java-agent gives the root span of this server, which Datadog
	 * shows with the endpoint: {@code netty.request} for WebFlux on Reactor Netty,
	 * {@code servlet.request} for a Servlet container (Spring MVC, or WebFlux on Tomcat
	 * or Jetty) and anything else.
	 */
	static String operation(ReceiverContext<?> context) {
		Object carrier = context.getCarrier();
		return (carrier != null && carrier.getClass().getName().startsWith(REACTOR_REQUEST)) ? NETTY_OPERATION
				: SERVLET_OPERATION;
	}

	private static @Nullable String endpoint(Observation.Context context) {
		KeyValue method = context.getLowCardinalityKeyValue("method");
		KeyValue uri = context.getLowCardinalityKeyValue("uri");
		if (method != null && uri != null) {
			return method.getValue() + " " + uri.getValue();
		}
		String name = context.getContextualName();
		return (name != null && !name.isBlank()) ? name : context.getName();
	}

	private void report(RuntimeException ex) {
		this.scopes.report("tracing.observation", "could not record an Observation's scope: " + ex);
	}

}
