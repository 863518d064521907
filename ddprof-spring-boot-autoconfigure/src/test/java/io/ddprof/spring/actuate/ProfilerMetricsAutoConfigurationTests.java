package io.ddprof.spring.actuate;

import io.ddprof.Profiler;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProfilerMetricsAutoConfiguration}.
 */
class ProfilerMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProfilerMetricsAutoConfiguration.class))
		.withBean(Profiler.class, ProfilerEndpointAutoConfigurationTests::profiler);

	@Test
	void shouldSupplyMetersThatBindToARegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ProfilerMetrics.class);
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(ProfilerMetrics.class).bindTo(registry);
			assertThat(registry.getMeters()).extracting((meter) -> meter.getId().getName())
				.contains("ddprof.samples", "ddprof.windows", "ddprof.windows.dropped", "ddprof.uploads",
						"ddprof.uploads.dropped", "ddprof.upload.bytes", "ddprof.upload.queue.depth",
						"ddprof.cpu.time");
			// A profiler that has not started reads zero everywhere, without failing.
			assertThat(registry.get("ddprof.samples").tag("event", "cpu").functionCounter().count()).isZero();
			assertThat(registry.get("ddprof.uploads").tag("outcome", "sent").functionCounter().count()).isZero();
		});
	}

	@Test
	void shouldNotSupplyMetersWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ProfilerMetrics.class);
		});
	}

	@Test
	void shouldNotSupplyMetersWithoutAProfiler() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ProfilerMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ProfilerMetrics.class));
	}

	@Test
	void shouldBackOffOnCustomMeters() {
		this.contextRunner.withBean("customMetrics", ProfilerMetrics.class,
				() -> new ProfilerMetrics(ProfilerEndpointAutoConfigurationTests.profiler()))
			.run((context) -> assertThat(context).getBeanNames(ProfilerMetrics.class).containsExactly("customMetrics"));
	}

}
