package io.ddprof.spring.tracing;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link ReactorContextPropagationEnvironmentPostProcessor} turns Reactor's context
 * propagation on.
 */
class ReactorContextPropagationEnvironmentPostProcessorTests {

	private final ReactorContextPropagationEnvironmentPostProcessor postProcessor = new ReactorContextPropagationEnvironmentPostProcessor(
			(DeferredLogFactory) (destination) -> destination.get());

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void turnsAutomaticContextPropagationOnWhenTheApplicationDoesNotSayOtherwise() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.reactor.context-propagation")).isEqualTo("auto");
	}

	@Test
	void keepsTheApplicationsOwnSetting() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("spring.reactor.context-propagation", "limited")));
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.reactor.context-propagation")).isEqualTo("limited");
		assertThat(this.environment.getPropertySources()
			.contains(ReactorContextPropagationEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
	}

	@Test
	void givesWayToTheApplicationsDefaultProperties() {
		SpringApplication application = new SpringApplication();
		this.environment.getPropertySources()
			.addLast(new MapPropertySource("defaultProperties",
					Map.of("spring.reactor.context-propagation", "limited")));
		this.postProcessor.postProcessEnvironment(this.environment, application);
		assertThat(this.environment.getProperty("spring.reactor.context-propagation")).isEqualTo("limited");
	}

	@Test
	void changesNothingWhenProfilingIsDisabled() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("ddprof.enabled", "false")));
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.reactor.context-propagation")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "no", "0", "OFF" })
	void readsDdprofEnabledAsTheAutoConfigurationDoes(String value) {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("ddprof.enabled", value)));
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.reactor.context-propagation")).isNull();
	}

	@Test
	void changesNothingWhenTheDatadogVariableDisablesProfiling() {
		// The Datadog variables' post-processor runs first and puts DD_PROFILING_ENABLED
		// beneath everything.
		this.environment.getPropertySources()
			.addLast(new MapPropertySource("ddprofDatadogVariables", Map.of("ddprof.enabled", "false")));
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.reactor.context-propagation")).isNull();
	}

	@Test
	void leavesAnEnabledValueThatIsNotABooleanToTheAutoConfiguration() {
		// Start-up fails in the auto-configuration's condition, with the failure
		// analysis.
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("ddprof.enabled", "maybe")));
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.reactor.context-propagation")).isNull();
	}

	@Test
	void changesNothingWithoutReactor() {
		assertNothingAddedWithout("reactor.core");
	}

	@Test
	void changesNothingWithoutBootsReactorAutoConfiguration() {
		// Reactor there only for ddprof's upload client: nobody would read the property.
		assertNothingAddedWithout("org.springframework.boot.reactor");
	}

	@Test
	void changesNothingWithoutMicrometerTracing() {
		assertNothingAddedWithout("io.micrometer.tracing");
	}

	private void assertNothingAddedWithout(String hiddenPackage) {
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader(hiddenPackage)));
		this.postProcessor.postProcessEnvironment(this.environment, application);
		assertThat(this.environment.getProperty("spring.reactor.context-propagation")).isNull();
	}

}
