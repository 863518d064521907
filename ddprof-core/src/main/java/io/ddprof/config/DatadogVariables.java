package io.ddprof.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The Datadog environment variables users already set ({@code DD_SERVICE}, {@code DD_TAGS},
 * {@code DD_PROFILING_UPLOAD_PERIOD}, ...) translated into {@code ddprof.*} keys and values
 * in ddprof's own notation, so that one parser serves both. Plain core consults this after
 * system properties and {@code DDPROF_*}; the Spring module adds it as its lowest-priority
 * property source. Tags come out as {@code ddprof.tags[key]} entries.
 */
public final class DatadogVariables {

	private DatadogVariables() {
	}

	/** Maps the Datadog variables found through {@code env} to {@code ddprof.*} keys and values. */
	public static Map<String, String> toSettings(UnaryOperator<String> env) {
		Map<String, String> settings = new LinkedHashMap<>();
		copy(env, settings, "DD_PROFILING_ENABLED", "ddprof.enabled", "");
		copy(env, settings, "DD_SERVICE", "ddprof.service", "");
		copy(env, settings, "DD_ENV", "ddprof.env", "");
		copy(env, settings, "DD_VERSION", "ddprof.version", "");
		copy(env, settings, "DD_PROFILING_START_DELAY", "ddprof.start-delay", "s");
		copy(env, settings, "DD_PROFILING_DDPROF_CPU_INTERVAL_MS", "ddprof.cpu.interval", "ms");
		copy(env, settings, "DD_PROFILING_DDPROF_WALL_INTERVAL_MS", "ddprof.wall.interval", "ms");
		copy(env, settings, "DD_PROFILING_DDPROF_ALLOC_INTERVAL", "ddprof.alloc.interval", "B");
		copy(env, settings, "DD_PROFILING_HEAP_ENABLED", "ddprof.live-heap.enabled", "");
		copy(env, settings, "DD_PROFILING_STACKDEPTH", "ddprof.stack-depth", "");
		copy(env, settings, "DD_PROFILING_UPLOAD_PERIOD", "ddprof.upload.period", "s");
		copy(env, settings, "DD_PROFILING_UPLOAD_TIMEOUT", "ddprof.upload.timeout", "s");
		copy(env, settings, "DD_PROFILING_UPLOAD_COMPRESSION", "ddprof.upload.compression", "");
		copy(env, settings, "DD_PROFILING_AGENTLESS", "ddprof.agentless", "");
		copy(env, settings, "DD_API_KEY", "ddprof.api-key", "");
		copy(env, settings, "DD_SITE", "ddprof.site", "");
		copy(env, settings, "DD_PROFILING_TEMPDIR", "ddprof.temp-directory", "");
		String agentUrl = agentUrl(env);
		if (agentUrl != null) {
			settings.put("ddprof.agent.url", agentUrl);
		}
		Map<String, String> tags = new LinkedHashMap<>();
		tags.putAll(tags(env, "DD_TAGS"));
		tags.putAll(tags(env, "DD_PROFILING_TAGS"));
		tags.forEach((key, value) -> settings.put("ddprof.tags[" + key + "]", value));
		return settings;
	}

	private static String agentUrl(UnaryOperator<String> env) {
		String url = value(env, "DD_TRACE_AGENT_URL");
		if (url != null) {
			return url;
		}
		String host = value(env, "DD_AGENT_HOST");
		String port = value(env, "DD_TRACE_AGENT_PORT");
		if (host == null && port == null) {
			return null;
		}
		String hostPart = (host != null) ? host : "localhost";
		if (hostPart.contains(":") && !hostPart.startsWith("[")) {
			hostPart = "[" + hostPart + "]";
		}
		return "http://" + hostPart + ":" + ((port != null) ? port : "8126");
	}

	private static Map<String, String> tags(UnaryOperator<String> env, String name) {
		String text = value(env, name);
		if (text == null) {
			return Map.of();
		}
		// The message names the Datadog variable: that is what the user has to fix.
		return SettingValues.parseTags(name, text);
	}

	private static void copy(UnaryOperator<String> env, Map<String, String> settings, String name, String key,
			String unit) {
		String value = value(env, name);
		if (value == null) {
			return;
		}
		// Datadog gives bare numbers in a known unit; anything else passes through so that
		// the error message shows what the user wrote.
		boolean bareNumber = !unit.isEmpty() && value.chars().allMatch(Character::isDigit);
		settings.put(key, bareNumber ? value + unit : value);
	}

	private static String value(UnaryOperator<String> env, String name) {
		String value = env.apply(name);
		return (value == null || value.isBlank()) ? null : value.trim();
	}

}
