package io.ddprof.spring.actuate;

import java.nio.file.Path;

import io.ddprof.Profiler;
import io.ddprof.config.ProfilerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProfilerEndpointAutoConfiguration}.
 */
class ProfilerEndpointAutoConfigurationTests {

	@TempDir
	static Path temp;

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProfilerEndpointAutoConfiguration.class))
		.withBean(Profiler.class, ProfilerEndpointAutoConfigurationTests::profiler);

	@Test
	void shouldNotSupplyTheEndpointUnlessExposed() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(ProfilerEndpoint.class);
			assertThat(context).doesNotHaveBean(DumpFileNameAdvice.class);
		});
	}

	@Test
	void shouldSupplyTheEndpointAndTheFileNameAdviceWhenExposedOverHttp() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=profiler").run((context) -> {
			assertThat(context).hasSingleBean(ProfilerEndpoint.class);
			assertThat(context).hasSingleBean(DumpFileNameAdvice.class);
		});
	}

	@Test
	void shouldNotSupplyTheEndpointWhenExposedOverJmxOnly() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=profiler")
			.run((context) -> assertThat(context).doesNotHaveBean(ProfilerEndpoint.class));
	}

	@Test
	void shouldNotSupplyTheEndpointWhenDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=profiler",
					"management.endpoint.profiler.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(ProfilerEndpoint.class));
	}

	@Test
	void shouldNotSupplyTheFileNameAdviceOutsideServletApplications() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ProfilerEndpointAutoConfiguration.class))
			.withBean(Profiler.class, ProfilerEndpointAutoConfigurationTests::profiler)
			.withPropertyValues("management.endpoints.web.exposure.include=profiler")
			.run((context) -> {
				assertThat(context).hasSingleBean(ProfilerEndpoint.class);
				assertThat(context).doesNotHaveBean(DumpFileNameAdvice.class);
			});
	}

	@Test
	void shouldNotSupplyTheEndpointWithoutAProfiler() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ProfilerEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=profiler")
			.run((context) -> assertThat(context).doesNotHaveBean(ProfilerEndpoint.class));
	}

	@Test
	void shouldNotSupplyTheEndpointWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=profiler")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ProfilerEndpoint.class);
			});
	}

	@Test
	void shouldBackOffOnCustomEndpoint() {
		ProfilerEndpoint custom = new ProfilerEndpoint(profiler());
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=profiler")
			.withBean("customProfilerEndpoint", ProfilerEndpoint.class, () -> custom)
			.run((context) -> assertThat(context).getBean(ProfilerEndpoint.class).isSameAs(custom));
	}

	/** A profiler never started: these tests are about beans, not recordings. */
	static Profiler profiler() {
		return new Profiler(ProfilerSettings.builder().uploadEnabled(false).tempDirectory(temp).build());
	}

}
