package io.ddprof.spring.actuate;

import java.nio.file.Path;

import io.ddprof.Profiler;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.UploadOutcome;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProfilerMetricsAutoConfiguration}.
 */
class ProfilerMetricsAutoConfigurationTests {

	@TempDir
	static Path temp;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProfilerMetricsAutoConfiguration.class))
		.withBean(Profiler.class, ProfilerMetricsAutoConfigurationTests::profiler);

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
			assertThat(
					registry.get("ddprof.uploads").tag("outcome", UploadOutcome.SENT.value()).functionCounter().count())
				.isZero();
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
		this.contextRunner.withBean("customMetrics", ProfilerMetrics.class, () -> new ProfilerMetrics(profiler()))
			.run((context) -> assertThat(context).getBeanNames(ProfilerMetrics.class).containsExactly("customMetrics"));
	}

	/**
	 * A profiler never started: these tests are about beans and meters, not recordings.
	 */
	static Profiler profiler() {
		return new Profiler(ProfilerSettings.builder().uploadEnabled(false).tempDirectory(temp).build());
	}

}
