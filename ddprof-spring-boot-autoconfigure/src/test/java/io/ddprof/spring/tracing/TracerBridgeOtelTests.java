package io.ddprof.spring.tracing;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryEventPublisherBeansApplicationListener;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The tracing bridge with OpenTelemetry: scopes come from the
 * {@link ProfilingScopeListener} and the Observation handler, local roots from
 * {@link OtelSpans}.
 */
class TracerBridgeOtelTests extends AbstractTracerBridgeTests {

	TracerBridgeOtelTests() {
		super(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class));
	}

	@Override
	ApplicationContextRunner prepare(ApplicationContextRunner runner) {
		// What SpringApplication does through spring.factories: hand the context's event
		// publishers (and so the profiler's listener) the scope events of OpenTelemetry.
		OpenTelemetryEventPublisherBeansApplicationListener.addWrapper();
		return runner.withInitializer(
				(context) -> context.addApplicationListener(new OpenTelemetryEventPublisherBeansApplicationListener()));
	}

}
