package io.ddprof.spring.tracing;

import brave.propagation.CurrentTraceContext.Scope;
import brave.propagation.CurrentTraceContext.ScopeDecorator;
import brave.propagation.TraceContext;
import org.jspecify.annotations.Nullable;

/**
 * Tells the profiler about every Brave scope, including those of spans made directly
 * through the tracer rather than by an Observation. Boot's Brave auto-configuration adds
 * every {@link ScopeDecorator} bean to the current trace context.
 */
public final class ProfilingScopeDecorator implements ScopeDecorator {

	private final SpanScopes scopes;

	private final BraveSpans spans;

	/** Records Brave's scopes into {@code scopes}. */
	public ProfilingScopeDecorator(SpanScopes scopes, BraveSpans spans) {
		this.scopes = scopes;
		this.spans = spans;
	}

	@Override
	public Scope decorateScope(@Nullable TraceContext context, Scope scope) {
		if (scope == Scope.NOOP) {
			// The context was current already: nothing changes on this thread.
			return scope;
		}
		try {
			ScopedSpan span = (context != null) ? this.spans.find(context) : null;
			return this.scopes.open(span) ? new ProfiledScope(scope, span) : scope;
		}
		catch (RuntimeException ex) {
			this.scopes.report("tracing.brave", "could not record a Brave scope: " + ex);
			return scope;
		}
	}

	/** Closes Brave's scope, then the profiler's. */
	private final class ProfiledScope implements Scope {

		private final Scope delegate;

		private final @Nullable ScopedSpan span;

		ProfiledScope(Scope delegate, @Nullable ScopedSpan span) {
			this.delegate = delegate;
			this.span = span;
		}

		@Override
		public void close() {
			this.delegate.close();
			try {
				ProfilingScopeDecorator.this.scopes.close(this.span);
			}
			catch (RuntimeException ex) {
				ProfilingScopeDecorator.this.scopes.report("tracing.brave", "could not record a Brave scope: " + ex);
			}
		}

	}

}
