package io.ddprof.spring.tracing;

import io.ddprof.Profiler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Connects the tracing bridge to the profiler once every singleton exists, and tells the
 * profiler that a tracer is attached (so that wall-clock sampling is limited to threads
 * holding a span) before it starts. Not earlier: the tracer is built before the profiler,
 * which can itself need beans that use the tracer (the {@code WebClient} it uploads with
 * is observed), so a bridge that needed the profiler to be built would close a cycle.
 */
final class TracerAttachment implements SmartInitializingSingleton {

	private final ObjectProvider<Profiler> profiler;

	private final SpanScopes scopes;

	TracerAttachment(ObjectProvider<Profiler> profiler, SpanScopes scopes) {
		this.profiler = profiler;
		this.scopes = scopes;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Profiler profiler = this.profiler.getIfUnique();
		if (profiler != null) {
			this.scopes.connect(profiler.spanSink(), profiler.problems());
			profiler.attachTracer();
		}
	}

}
