package io.ddprof.spring.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Initializers that give a test context the environment a process would have: Datadog's
 * variables as the post-processor reads them, or a system environment of the test's
 * choosing.
 */
final class EnvironmentInitializers {

	private EnvironmentInitializers() {
	}

	/**
	 * Datadog's {@code DD_*} variables, applied by
	 * {@link DatadogVariablesEnvironmentPostProcessor}.
	 */
	static ApplicationContextInitializer<ConfigurableApplicationContext> datadogVariables(
			Map<String, String> variables) {
		return (context) -> new DatadogVariablesEnvironmentPostProcessor(variables)
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication());
	}

	/** {@code variables} in place of the process's system environment. */
	static ApplicationContextInitializer<ConfigurableApplicationContext> systemEnvironment(
			Map<String, String> variables) {
		return (context) -> context.getEnvironment()
			.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
	}

}
