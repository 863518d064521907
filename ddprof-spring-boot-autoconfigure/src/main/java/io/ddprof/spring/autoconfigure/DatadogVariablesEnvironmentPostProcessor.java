package io.ddprof.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddprof.config.DatadogVariables;
import io.ddprof.config.IgnoredVariable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Adds the Datadog variables a Datadog user already sets ({@code DD_SERVICE},
 * {@code DD_TAGS}, {@code DD_PROFILING_UPLOAD_PERIOD}, ...) as {@code ddprof.*}
 * properties of the lowest priority, so that any Spring property source, {@code DDPROF_*}
 * environment variables included, wins over them. Each property's origin names the
 * variable it came from. A value ddprof cannot use is left out with one WARN line and
 * kept for status: Datadog's tooling writes these variables, so they never stop start-up.
 */
public class DatadogVariablesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * The order of this post-processor: late, as the source of lowest priority should be
	 * added, well after Boot's {@code ConfigDataEnvironmentPostProcessor} (so that
	 * {@code application.properties} and friends are already in place and this source
	 * goes below them); and first of ddprof's three, because the Reactor post-processor
	 * reads {@code ddprof.enabled}, which {@code DD_PROFILING_ENABLED} feeds through this
	 * source.
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 20;

	/** Name of the property source holding the translated Datadog variables. */
	public static final String PROPERTY_SOURCE_NAME = "ddprofDatadogVariables";

	/**
	 * Name of the property source holding the Datadog variables that could not be used.
	 */
	public static final String IGNORED_SOURCE_NAME = "ddprofIgnoredDatadogVariables";

	private static final String TAGS_PREFIX = "ddprof.tags[";

	private final Map<String, String> variables;

	private final Log logger;

	/**
	 * A post-processor reading the process's environment variables, warning through
	 * Boot's deferred log.
	 */
	public DatadogVariablesEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this(System.getenv(), logFactory.getLog(DatadogVariablesEnvironmentPostProcessor.class));
	}

	DatadogVariablesEnvironmentPostProcessor(Map<String, String> variables) {
		this(variables, LogFactory.getLog(DatadogVariablesEnvironmentPostProcessor.class));
	}

	DatadogVariablesEnvironmentPostProcessor(Map<String, String> variables, Log logger) {
		this.variables = variables;
		this.logger = logger;
	}

	/**
	 * The Datadog variables whose values could not be used, as the post-processor found
	 * them.
	 */
	public static List<IgnoredVariable> ignoredVariables(Environment environment) {
		if (environment instanceof ConfigurableEnvironment configurable
				&& configurable.getPropertySources().get(IGNORED_SOURCE_NAME) instanceof IgnoredVariables ignored) {
			return ignored.getSource();
		}
		return List.of();
	}

	/**
	 * Whether the value {@code key} takes in {@code environment} comes from the Datadog
	 * variables, rather than from a source the user wrote (which wins over them).
	 */
	public static boolean fromDatadogVariables(Environment environment, String key) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.getConfigurationProperty(name) != null) {
				return source.getUnderlyingSource() instanceof PropertySource<?> found
						&& PROPERTY_SOURCE_NAME.equals(found.getName());
			}
		}
		return false;
	}

	/** The tag keys that came from {@code DD_TAGS} or {@code DD_PROFILING_TAGS}. */
	public static Set<String> datadogTagKeys(Environment environment) {
		Set<String> keys = new LinkedHashSet<>();
		if (environment instanceof ConfigurableEnvironment configurable && configurable.getPropertySources()
			.get(PROPERTY_SOURCE_NAME) instanceof EnumerablePropertySource<?> source) {
			for (String name : source.getPropertyNames()) {
				if (name.startsWith(TAGS_PREFIX) && name.endsWith("]")) {
					keys.add(name.substring(TAGS_PREFIX.length(), name.length() - 1));
				}
			}
		}
		return keys;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		addDatadogVariables(environment);
	}

	private void addDatadogVariables(ConfigurableEnvironment environment) {
		DatadogVariables.Reading reading = DatadogVariables.read(this.variables::get);
		// Datadog's tooling writes these variables: what cannot be used is said once and
		// set aside.
		reading.ignored().forEach((ignored) -> this.logger.warn("ddprof: " + ignored.message()));
		environment.getPropertySources().remove(IGNORED_SOURCE_NAME);
		if (!reading.ignored().isEmpty()) {
			environment.getPropertySources().addLast(new IgnoredVariables(reading.ignored()));
		}
		Map<String, String> settings = reading.settings();
		if (settings.isEmpty()) {
			return;
		}
		Map<String, Origin> origins = origins(settings);
		Map<String, Object> source = new LinkedHashMap<>();
		settings.forEach((key, value) -> source.put(key, OriginTrackedValue.of(value, origins.get(key))));
		environment.getPropertySources()
			.addLast(new OriginTrackedMapPropertySource(PROPERTY_SOURCE_NAME, source, true));
	}

	/**
	 * The variable each key came from: the one that alone gives the key its final value.
	 */
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

	/** Holds the ignored variables for the auto-configuration; answers no property. */
	private static final class IgnoredVariables extends PropertySource<List<IgnoredVariable>> {

		IgnoredVariables(List<IgnoredVariable> ignored) {
			super(IGNORED_SOURCE_NAME, List.copyOf(ignored));
		}

		@Override
		public @Nullable Object getProperty(String name) {
			return null;
		}

	}

}
