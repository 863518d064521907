package io.ddprof.spring.tracing;

import io.ddprof.Profiler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the tracing bridge: every sample is tied to the Micrometer Tracing span
 * in scope when it was taken, and each local root span to its endpoint. Works with the Brave
 * and the OpenTelemetry bridges of Micrometer Tracing; with either wired in, wall-clock
 * sampling is limited to threads holding a span ({@code ddprof.wall.context-filter}).
 */
@AutoConfiguration(afterName = { "io.ddprof.spring.autoconfigure.DdprofAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
@ConditionalOnClass({ Tracer.class, ObservationHandler.class })
@ConditionalOnBean({ Profiler.class, Tracer.class })
public final class DdprofTracingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SpanScopes ddprofSpanScopes(Profiler profiler) {
		return new SpanScopes(profiler.spanSink(), profiler.problems());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ brave.Tracer.class, BraveTracer.class })
	@ConditionalOnBean(BraveTracer.class)
	static class BraveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BraveSpans ddprofBraveSpans() {
			return new BraveSpans();
		}

		@Bean
		@ConditionalOnMissingBean
		ProfilingScopeDecorator ddprofScopeDecorator(SpanScopes scopes, BraveSpans spans, Profiler profiler) {
			return new ProfilingScopeDecorator(scopes, spans, profiler.problems());
		}

		@Bean
		@ConditionalOnMissingBean
		ProfilingObservationHandler ddprofBraveObservationHandler(SpanScopes scopes, BraveSpans spans, Profiler profiler) {
			profiler.attachTracer();
			return ProfilingObservationHandler.forBrave(scopes, spans, profiler.problems());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ OtelTracer.class, SdkTracerProvider.class })
	@ConditionalOnBean(OtelTracer.class)
	static class OtelConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OtelSpans ddprofOtelSpans(Profiler profiler) {
			return new OtelSpans(profiler.problems());
		}

		@Bean
		@ConditionalOnMissingBean
		ProfilingScopeListener ddprofScopeListener(SpanScopes scopes, OtelSpans spans, Profiler profiler) {
			return new ProfilingScopeListener(scopes, spans, profiler.problems());
		}

		@Bean
		@ConditionalOnMissingBean
		ProfilingObservationHandler ddprofOtelObservationHandler(SpanScopes scopes, OtelSpans spans, Profiler profiler) {
			profiler.attachTracer();
			return ProfilingObservationHandler.forOtel(scopes, spans, profiler.problems());
		}

	}

}
