package io.ddprof.spring.tracing;

import io.micrometer.tracing.Span;
import org.jspecify.annotations.Nullable;

/** Finds the {@link ScopedSpan} of a Micrometer span, for the tracer bridge in use. */
interface SpanLookup {

	/**
	 * The scoped span of {@code span}, or {@code null} when it is not one of this
	 * bridge's.
	 * @param enclosing the span current on this thread before, a hint for tracers that
	 * cannot tell every span's local root
	 */
	@Nullable ScopedSpan find(Span span, @Nullable ScopedSpan enclosing);

	/**
	 * {@code span} ended: nothing kept for it may outlive it (a scope change after this
	 * finds it again, at the cost of formatting its ids).
	 */
	void ended(Span span);

}
