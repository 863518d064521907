package io.ddprof.spring.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.ddprof.config.Compression;
import io.ddprof.config.EngineChoice;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.util.unit.DataSize;

/**
 * Explains a {@code ddprof.*} value Spring could not convert at all ({@link BindException}):
 * Boot's own analysis would name a Java type rather than the values ddprof accepts. Other
 * properties are left to Boot. Ordered right after {@link InvalidSettingFailureAnalyzer}, so that
 * a failure carrying both is explained by the profiler's own validation, and before Boot's
 * analyzers.
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
		Class<?> type = cause.getTarget().getType().resolve(Object.class);
		return SettingFailureAnalysis.of(key, value, (property != null) ? property.getOrigin() : null, allowed(type),
				rootFailure);
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

}
