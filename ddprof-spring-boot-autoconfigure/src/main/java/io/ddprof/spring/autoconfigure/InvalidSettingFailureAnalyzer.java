package io.ddprof.spring.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.ddprof.config.Compression;
import io.ddprof.config.EngineChoice;
import io.ddprof.config.InvalidSettingException;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Explains a {@code ddprof.*} setting (or a Datadog variable feeding one) that stopped the
 * application from starting: the property, the value as the user wrote it, where it was set
 * and what is allowed. Covers the profiler's own validation ({@link InvalidSettingException})
 * and values Spring could not convert at all, where Boot's own analysis would name a Java
 * type rather than the values ddprof accepts. The values of secrets (the API key, Pyroscope's
 * password and token, OTLP headers) are never shown.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class InvalidSettingFailureAnalyzer implements FailureAnalyzer {

	private static final Set<String> SECRET_KEYS = Set.of("ddprof.api-key", "ddprof.pyroscope.basic-auth.password",
			"ddprof.pyroscope.auth-token", "ddprof.otlp.headers");

	private final Environment environment;

	/**
	 * Creates the analyzer.
	 * @param environment the application's environment, used to find what the user wrote and
	 * where; {@code null} when the application failed before it had a context
	 */
	public InvalidSettingFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		InvalidSettingException invalid = findCause(failure, InvalidSettingException.class);
		if (invalid != null) {
			ConfigurationProperty property = find(invalid.getKey());
			String value = (property != null && property.getValue() != null) ? property.getValue().toString()
					: invalid.getValue();
			return analysis(invalid.getKey(), value, (property != null) ? property.getOrigin() : null,
					invalid.getAllowed(), failure);
		}
		BindException bind = findCause(failure, BindException.class);
		if (bind != null && bind.getName() != null && bind.getName().toString().startsWith("ddprof.")) {
			ConfigurationProperty property = bind.getProperty();
			String value = (property != null && property.getValue() != null) ? property.getValue().toString() : "";
			Class<?> type = bind.getTarget().getType().resolve(Object.class);
			return analysis(bind.getName().toString(), value, (property != null) ? property.getOrigin() : null,
					allowed(type), failure);
		}
		return null;
	}

	private FailureAnalysis analysis(String key, String value, Origin origin, String allowed, Throwable failure) {
		String text = (value != null) ? value : "";
		String shown = (SECRET_KEYS.contains(key) && !text.isEmpty()) ? "<hidden>" : text;
		StringBuilder description = new StringBuilder();
		description.append("Invalid value '").append(shown).append("' for ").append(key).append('.');
		description.append(String.format("%n%n    Property: %s", key));
		description.append(String.format("%n    Value: \"%s\"", shown));
		if (origin != null) {
			description.append(String.format("%n    Origin: %s", origin));
		}
		description.append(String.format("%n    Allowed: %s", allowed));
		return new FailureAnalysis(description.toString(), action(key, origin, allowed), failure);
	}

	private static String action(String key, Origin origin, String allowed) {
		String where = (origin != null) ? " (set in " + origin + ")" : "";
		if (!allowed.startsWith("expected ")) {
			return "Update " + key + where + ": " + allowed + ".";
		}
		String wanted = allowed.substring("expected ".length());
		return "Update " + key + where + " to " + wanted + ", or remove it to use the default.";
	}

	private ConfigurationProperty find(String key) {
		if (this.environment == null || !ConfigurationPropertyName.isValid(key)) {
			return null;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
		// The first source that has the key is the one whose value was used.
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty property = source.getConfigurationProperty(name);
			if (property != null) {
				return property;
			}
		}
		return null;
	}

	private static String allowed(Class<?> type) {
		if (type == Duration.class) {
			return "expected a duration such as 10ms, 60s or PT1M";
		}
		if (type == DataSize.class) {
			return "expected a size such as 256KB or 128MB";
		}
		if (type == EngineChoice.class) {
			return "expected one of " + values(EngineChoice.values(), EngineChoice::value);
		}
		if (type == Compression.class) {
			return "expected one of " + values(Compression.values(), Compression::value);
		}
		if (type == boolean.class || type == Boolean.class) {
			return "expected true or false";
		}
		if (type == int.class || type == Integer.class) {
			return "expected a whole number";
		}
		if (type == URI.class) {
			return "expected an http:// or https:// URL with a host (for example http://localhost:8126)";
		}
		if (type == Path.class) {
			return "expected a directory path";
		}
		return "expected a value of type " + type.getSimpleName();
	}

	private static <E> String values(E[] values, Function<E, String> name) {
		return Arrays.stream(values).map(name).collect(Collectors.joining(", "));
	}

	private static <E extends Throwable> E findCause(Throwable failure, Class<E> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			if (candidate.getCause() == candidate) {
				break;
			}
		}
		return null;
	}

}
