package io.ddprof.spring.tracing;

import java.nio.file.Path;
import java.time.Duration;

import brave.propagation.CurrentTraceContext;
import io.ddprof.Profiler;
import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.spring.autoconfigure.DdprofAutoConfiguration;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanProcessors;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link DdprofTracingAutoConfiguration} wires the tracing bridge, and when it backs
 * off.
 */
class DdprofTracingAutoConfigurationTests {

	private final ApplicationContextRunner withoutProfiler = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, DdprofTracingAutoConfiguration.class));

	private final ApplicationContextRunner withoutTracer = this.withoutProfiler.withBean(Profiler.class,
			() -> new Profiler(ProfilerSettings.builder().build()));

	private final ApplicationContextRunner brave = this.withoutTracer
		.withConfiguration(AutoConfigurations.of(BraveAutoConfiguration.class));

	private final ApplicationContextRunner otel = this.withoutTracer.withConfiguration(AutoConfigurations
		.of(OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class));

	@Test
	void shouldSupplyTheBraveBridgeWithBrave() {
		this.brave.run((context) -> {
			assertThat(context).hasSingleBean(SpanScopes.class)
				.hasSingleBean(BraveSpans.class)
				.hasSingleBean(ProfilingScopeDecorator.class)
				.hasSingleBean(ProfilingObservationHandler.class)
				.doesNotHaveBean(ProfilingScopeListener.class)
				.doesNotHaveBean(OtelSpans.class);
			assertThat(context.getBean(CurrentTraceContext.class)).extracting("scopeDecorators")
				.asInstanceOf(InstanceOfAssertFactories.ARRAY)
				.contains(context.getBean(ProfilingScopeDecorator.class));
		});
	}

	@Test
	void shouldSupplyTheOpenTelemetryBridgeWithOpenTelemetry() {
		this.otel.run((context) -> {
			assertThat(context).hasSingleBean(OtelTracer.class)
				.hasSingleBean(SpanScopes.class)
				.hasSingleBean(OtelSpans.class)
				.hasSingleBean(ProfilingScopeListener.class)
				.hasSingleBean(ProfilingObservationHandler.class)
				.doesNotHaveBean(ProfilingScopeDecorator.class);
			assertThat(context.getBean(SpanProcessors.class).list()).contains(context.getBean(OtelSpans.class));
		});
	}

	@Test
	void shouldNotSupplyBeansIfMicrometerTracingIsMissing() {
		this.brave.withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SpanScopes.class)
				.doesNotHaveBean(ProfilingObservationHandler.class));
	}

	@Test
	void shouldNotSupplyBeansWithoutATracer() {
		this.withoutTracer.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(Tracer.class)
			.doesNotHaveBean(SpanScopes.class));
	}

	@Test
	void shouldNotSupplyBeansWithoutAProfiler() {
		this.withoutProfiler.withConfiguration(AutoConfigurations.of(BraveAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(Tracer.class)
				.doesNotHaveBean(SpanScopes.class));
	}

	@Test
	void shouldBackOffOnCustomBeans() {
		ProfilingScopeDecorator decorator = new ProfilingScopeDecorator(new SpanScopes(), new BraveSpans());
		this.brave.withBean("customDecorator", ProfilingScopeDecorator.class, () -> decorator)
			.run((context) -> assertThat(context).getBean(ProfilingScopeDecorator.class).isSameAs(decorator));
	}

	@Test
	void shouldLimitWallClockSamplingToThreadsHoldingASpanOnceABridgeIsWired(@TempDir Path temp) {
		this.withoutProfiler.withConfiguration(AutoConfigurations.of(BraveAutoConfiguration.class))
			.withBean(Profiler.class, () -> wallProfiler(temp))
			.run((context) -> {
				Profiler profiler = context.getBean(Profiler.class);
				profiler.start(false, false);
				try {
					assertThat(profiler.status().events().get("wall")).endsWith("(threads holding a span)");
				}
				finally {
					profiler.stop(false);
				}
			});
	}

	@Test
	void shouldNotLimitWallClockSamplingWithoutABridge(@TempDir Path temp) {
		this.withoutProfiler.withBean(Profiler.class, () -> wallProfiler(temp)).run((context) -> {
			Profiler profiler = context.getBean(Profiler.class);
			profiler.start(false, false);
			try {
				assertThat(profiler.status().events().get("wall")).doesNotContain("span");
			}
			finally {
				profiler.stop(false);
			}
		});
	}

	@Test
	void shouldConnectToTheProfilerOfTheMainAutoConfigurationWhoseUploadClientIsObserved(@TempDir Path temp) {
		// The profiler needs the WebClient, the WebClient the Observation registry, the
		// registry
		// the tracer: the bridge the tracer needs must not need the profiler in turn.
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					MicrometerTracingAutoConfiguration.class, BraveAutoConfiguration.class,
					WebClientAutoConfiguration.class, WebClientObservationAutoConfiguration.class,
					DdprofAutoConfiguration.class, DdprofTracingAutoConfiguration.class))
			.withPropertyValues("ddprof.engine=async-profiler", "ddprof.upload.enabled=false",
					"ddprof.temp-directory=" + temp)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ProfilingScopeDecorator.class);
				assertThat(context.getBean(Profiler.class).status().events().get("wall"))
					.endsWith("(threads holding a span)");
			});
	}

	private static Profiler wallProfiler(Path temp) {
		return new Profiler(ProfilerSettings.builder()
			.engine(EngineChoice.ASYNC_PROFILER)
			.uploadEnabled(false)
			.wallInterval(Duration.ofMillis(50))
			.tempDirectory(temp)
			.build());
	}

}
