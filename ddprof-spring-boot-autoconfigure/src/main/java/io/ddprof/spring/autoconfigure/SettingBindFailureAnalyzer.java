package io.ddprof.spring.autoconfigure;

import io.ddprof.config.Setting;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a {@code ddprof.*} value Spring could not convert at all
 * ({@link BindException}): Boot's own analysis would name a Java type rather than the
 * values ddprof accepts. Other properties are left to Boot. Ordered right after
 * {@link InvalidSettingFailureAnalyzer}, so that a failure carrying both is explained by
 * the profiler's own validation, and before Boot's analyzers.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class SettingBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		String key = cause.getName().toString();
		if (!key.startsWith("ddprof.")) {
			return null;
		}
		ConfigurationProperty property = cause.getProperty();
		Object written = (property != null) ? property.getValue() : null;
		String value = (written != null) ? written.toString() : "";
		// What the key accepts, from its definition; a key that has none (a tag, say) by
		// its type.
		String allowed = Setting.named(key)
			.map(Setting::expected)
			.orElseGet(() -> "expected a value of type "
					+ cause.getTarget().getType().resolve(Object.class).getSimpleName());
		return SettingFailureAnalysis.of(key, value, (property != null) ? property.getOrigin() : null, allowed,
				rootFailure);
	}

}
