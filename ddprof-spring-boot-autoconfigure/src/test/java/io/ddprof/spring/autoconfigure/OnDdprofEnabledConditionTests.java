package io.ddprof.spring.autoconfigure;

import java.util.Map;

import io.ddprof.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import static io.ddprof.spring.autoconfigure.EnvironmentInitializers.datadogVariables;
import static io.ddprof.spring.autoconfigure.EnvironmentInitializers.systemEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OnDdprofEnabledCondition}: every source that can turn ddprof off, and
 * the values each one accepts.
 */
class OnDdprofEnabledConditionTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(GuardedConfiguration.class);

	@Test
	void shouldMatchWhenNothingIsSet() {
		this.contextRunner.run((context) -> assertThat(context).hasBean("guarded"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "TRUE", "1", "yes", "on", " On " })
	void shouldMatchWhenThePropertySaysOn(String value) {
		this.contextRunner.withPropertyValues("ddprof.enabled=" + value)
			.run((context) -> assertThat(context).hasBean("guarded"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "FALSE", "0", "no", "off", " Off " })
	void shouldNotMatchWhenThePropertySaysOff(String value) {
		this.contextRunner.withPropertyValues("ddprof.enabled=" + value)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("guarded"));
	}

	@Test
	void shouldNotMatchWhenTheDdprofEnvironmentVariableSaysOff() {
		this.contextRunner.withInitializer(systemEnvironment(Map.of("DDPROF_ENABLED", "false")))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("guarded"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "0", "FALSE" })
	void shouldNotMatchWhenTheDatadogVariableSaysOff(String value) {
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_ENABLED", value)))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("guarded"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "1", "auto" })
	void shouldMatchWhenTheDatadogVariableSaysOn(String value) {
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_ENABLED", value)))
			.run((context) -> assertThat(context).hasBean("guarded"));
	}

	@Test
	void shouldMatchWhenTheDatadogVariableCannotBeUsed() {
		// Datadog's tooling writes these variables: one it cannot use falls to the
		// default, on.
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_ENABLED", "perhaps")))
			.run((context) -> assertThat(context).hasBean("guarded"));
	}

	@Test
	void shouldPreferThePropertyOverTheDatadogVariable() {
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_ENABLED", "false")))
			.withPropertyValues("ddprof.enabled=yes")
			.run((context) -> assertThat(context).hasBean("guarded"));
		this.contextRunner.withInitializer(datadogVariables(Map.of("DD_PROFILING_ENABLED", "true")))
			.withPropertyValues("ddprof.enabled=off")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("guarded"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "maybe", "auto", "" })
	void shouldStopStartUpWhenTheValueTheUserWroteIsNotABoolean(String value) {
		// auto is Datadog's word, read only in DD_PROFILING_ENABLED.
		this.contextRunner.withPropertyValues("ddprof.enabled=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidSettingException.class, (invalid) -> {
					assertThat(invalid.getKey()).isEqualTo("ddprof.enabled");
					assertThat(invalid.getValue()).isEqualTo(value);
				});
			// Where it was set is shown too in an application
			// (DdprofSpringApplicationTests).
			FailureAnalysis analysis = new InvalidSettingFailureAnalyzer(null).analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).startsWith("Invalid value '" + value + "' for ddprof.enabled.")
				.contains("Allowed: expected true or false");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnDdprofEnabledCondition.class)
	static class GuardedConfiguration {

		@Bean
		String guarded() {
			return "guarded";
		}

	}

}
