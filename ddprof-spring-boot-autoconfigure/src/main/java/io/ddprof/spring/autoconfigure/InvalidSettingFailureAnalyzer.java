package io.ddprof.spring.autoconfigure;

import io.ddprof.config.InvalidSettingException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Explains a {@code ddprof.*} setting (or a Datadog variable feeding one) that the
 * profiler's own validation rejected ({@link InvalidSettingException}): the property, the
 * value as the user wrote it, where it was set and what is allowed. The values of secrets
 * are never shown. Values Spring could not convert at all are
 * {@link SettingBindFailureAnalyzer}'s.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

	private final @Nullable Environment environment;

	/**
	 * Creates the analyzer.
	 * @param environment the application's environment, used to find what the user wrote
	 * and where; {@code null} when the application failed before it had a context
	 */
	public InvalidSettingFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
		ConfigurationProperty property = find(cause.getKey());
		Object written = (property != null) ? property.getValue() : null;
		String value = (written != null) ? written.toString() : cause.getValue();
		return SettingFailureAnalysis.of(cause.getKey(), value, (property != null) ? property.getOrigin() : null,
				cause.getAllowed(), rootFailure);
	}

	private @Nullable ConfigurationProperty find(String key) {
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

}
