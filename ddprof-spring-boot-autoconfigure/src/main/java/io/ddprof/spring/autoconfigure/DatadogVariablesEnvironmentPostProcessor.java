package io.ddprof.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ddprof.config.DatadogVariables;
import io.ddprof.config.InvalidSettingException;
import io.ddprof.config.SettingValues;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Adds the Datadog variables a Datadog user already sets ({@code DD_SERVICE}, {@code DD_TAGS},
 * {@code DD_PROFILING_UPLOAD_PERIOD}, ...) as {@code ddprof.*} properties of the lowest
 * priority, so that any Spring property source, {@code DDPROF_*} environment variables
 * included, wins over them. Each property's origin names the variable it came from, so that
 * a value that cannot be used is reported against the variable the user has to fix.
 */
public class DatadogVariablesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the translated Datadog variables. */
	public static final String PROPERTY_SOURCE_NAME = "ddprofDatadogVariables";

	/** Name of the property source holding {@code ddprof.enabled} as {@code true} or {@code false}. */
	public static final String ENABLED_SOURCE_NAME = "ddprofEnabled";

	private static final String ENABLED_VARIABLE = "DD_PROFILING_ENABLED";

	private static final String ENABLED_KEY = "ddprof.enabled";

	private final Map<String, String> variables;

	/** A post-processor reading the process's environment variables. */
	public DatadogVariablesEnvironmentPostProcessor() {
		this(System.getenv());
	}

	DatadogVariablesEnvironmentPostProcessor(Map<String, String> variables) {
		this.variables = variables;
	}

	@Override
	public int getOrder() {
		// After the config data post-processor, so that application.properties and friends are
		// already in place and this source can go below them.
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		addDatadogVariables(environment);
		normalizeEnabled(environment);
	}

	/**
	 * {@code ddprof.enabled} as a plain {@code true} or {@code false}. The auto-configuration's
	 * condition reads nothing else, so a {@code 1} (as {@code DD_PROFILING_ENABLED=1} says, which
	 * Datadog reads as on), a {@code yes} or a typo would turn profiling off without a word.
	 * @throws InvalidSettingException when the value is not a boolean at all
	 */
	private void normalizeEnabled(ConfigurableEnvironment environment) {
		String enabled = environment.getProperty(ENABLED_KEY);
		String variable = this.variables.get(ENABLED_VARIABLE);
		if (enabled == null && variable != null && !variable.isBlank()) {
			// Malformed tags made the Datadog variables go unused: this one still decides.
			enabled = variable;
		}
		else if (enabled == null || enabled.trim().equalsIgnoreCase("true") || enabled.trim().equalsIgnoreCase("false")) {
			return;
		}
		boolean value = SettingValues.parseBoolean(ENABLED_KEY, enabled);
		environment.getPropertySources()
			.addFirst(new MapPropertySource(ENABLED_SOURCE_NAME, Map.of(ENABLED_KEY, Boolean.toString(value))));
	}


	private void addDatadogVariables(ConfigurableEnvironment environment) {
		Map<String, String> settings;
		try {
			settings = DatadogVariables.toSettings(this.variables::get);
		}
		catch (InvalidSettingException ex) {
			// A malformed DD_TAGS must not stop an application that does not profile at all.
			if (isDisabled(environment)) {
				return;
			}
			throw ex;
		}
		if (settings.isEmpty()) {
			return;
		}
		Map<String, Origin> origins = origins(settings);
		Map<String, Object> source = new LinkedHashMap<>();
		settings.forEach((key, value) -> source.put(key, OriginTrackedValue.of(value, origins.get(key))));
		environment.getPropertySources()
			.addLast(new OriginTrackedMapPropertySource(PROPERTY_SOURCE_NAME, source, true));
	}

	private boolean isDisabled(ConfigurableEnvironment environment) {
		String enabled = environment.getProperty("ddprof.enabled");
		String name = "ddprof.enabled";
		if (enabled == null) {
			enabled = this.variables.get(ENABLED_VARIABLE);
			name = ENABLED_VARIABLE;
		}
		try {
			return enabled != null && !SettingValues.parseBoolean(name, enabled);
		}
		catch (InvalidSettingException ex) {
			return false;
		}
	}

	/** The variable each key came from: the one that alone gives the key its final value. */
	private Map<String, Origin> origins(Map<String, String> settings) {
		Map<String, Origin> origins = new LinkedHashMap<>();
		this.variables.forEach((name, value) -> {
			if (name.startsWith("DD_")) {
				Map<String, String> single = Map.of(name, value);
				DatadogVariables.toSettings(single::get).forEach((key, alone) -> {
					if (alone.equals(settings.get(key))) {
						origins.putIfAbsent(key, new SystemEnvironmentOrigin(name));
					}
				});
			}
		});
		return origins;
	}

}
