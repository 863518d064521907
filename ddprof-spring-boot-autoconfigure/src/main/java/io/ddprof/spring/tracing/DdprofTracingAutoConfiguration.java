package io.ddprof.spring.tracing;

import io.ddprof.Profiler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the tracing bridge: every sample is tied to the Micrometer
 * Tracing span in scope when it was taken, and each local root span to its endpoint.
 * Works with the Brave and the OpenTelemetry bridges of Micrometer Tracing; with either
 * wired in, wall-clock sampling is limited to threads holding a span
 * ({@code ddprof.wall.context-filter}). The bridge's beans do not depend on the profiler:
 * they are connected to it once every singleton exists ({@link TracerAttachment}).
 */
@AutoConfiguration(afterName = { "io.ddprof.spring.autoconfigure.DdprofAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
@ConditionalOnClass({ Tracer.class, ObservationHandler.class })
@ConditionalOnBean({ Profiler.class, Tracer.class })
public final class DdprofTracingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SpanScopes ddprofSpanScopes() {
		return new SpanScopes();
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
		ProfilingScopeDecorator ddprofScopeDecorator(SpanScopes scopes, BraveSpans spans) {
			return new ProfilingScopeDecorator(scopes, spans);
		}

		@Bean
		@ConditionalOnMissingBean
		ProfilingObservationHandler ddprofBraveObservationHandler(SpanScopes scopes, BraveSpans spans) {
			return spans.observationHandler(scopes);
		}

		@Bean
		TracerAttachment ddprofBraveAttachment(ObjectProvider<Profiler> profiler, SpanScopes scopes) {
			return new TracerAttachment(profiler, scopes);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ OtelTracer.class, SdkTracerProvider.class })
	@ConditionalOnBean(OtelTracer.class)
	static class OtelConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OtelSpans ddprofOtelSpans(SpanScopes scopes) {
			return new OtelSpans(scopes);
		}

		@Bean
		@ConditionalOnMissingBean
		ProfilingScopeListener ddprofScopeListener(SpanScopes scopes, OtelSpans spans) {
			return new ProfilingScopeListener(scopes, spans);
		}

		@Bean
		@ConditionalOnMissingBean
		ProfilingObservationHandler ddprofOtelObservationHandler(SpanScopes scopes, OtelSpans spans) {
			return spans.observationHandler(scopes);
		}

		@Bean
		TracerAttachment ddprofOtelAttachment(ObjectProvider<Profiler> profiler, SpanScopes scopes) {
			return new TracerAttachment(profiler, scopes);
		}

	}

}
