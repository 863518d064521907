package io.ddprof.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The Datadog environment variables users already set ({@code DD_SERVICE}, {@code DD_TAGS},
 * {@code DD_PROFILING_UPLOAD_PERIOD}, ...) translated into {@code ddprof.*} keys and values
 * in ddprof's own notation, so that one parser serves both. Plain core consults this after
 * system properties and {@code DDPROF_*}; the Spring module adds it as its lowest-priority
 * property source. Tags come out as {@code ddprof.tags[key]} entries.
 * <p>
 * Datadog's tooling (the admission controller, single-step install) writes these variables
 * for the user, so a value ddprof cannot use never stops start-up: it is left out, with an
 * {@link IgnoredVariable} saying what is used instead.
 */
public final class DatadogVariables {

	/** The variable that turns agentless uploads on. */
	public static final String AGENTLESS_VARIABLE = "DD_PROFILING_AGENTLESS";

	private static final List<Variable> VARIABLES = List.of(
			new Variable("DD_PROFILING_ENABLED", "ddprof.enabled", Kind.BOOLEAN, "true"),
			new Variable("DD_SERVICE", "ddprof.service", Kind.TEXT,
					"spring.application.name, else " + ProfilerSettings.DEFAULT_SERVICE),
			new Variable("DD_ENV", "ddprof.env", Kind.TEXT, "none"),
			new Variable("DD_VERSION", "ddprof.version", Kind.TEXT, "none"),
			new Variable("DD_PROFILING_START_DELAY", "ddprof.start-delay", Kind.SECONDS, "0s"),
			new Variable("DD_PROFILING_DDPROF_CPU_INTERVAL_MS", "ddprof.cpu.interval", Kind.MILLIS, "10ms"),
			new Variable("DD_PROFILING_DDPROF_WALL_INTERVAL_MS", "ddprof.wall.interval", Kind.MILLIS, "50ms"),
			new Variable("DD_PROFILING_DDPROF_ALLOC_INTERVAL", "ddprof.alloc.interval", Kind.BYTES,
					"the adaptive interval"),
			new Variable("DD_PROFILING_HEAP_ENABLED", "ddprof.live-heap.enabled", Kind.BOOLEAN, "false"),
			new Variable("DD_PROFILING_STACKDEPTH", "ddprof.stack-depth", Kind.TEXT, "512"),
			new Variable("DD_PROFILING_UPLOAD_PERIOD", "ddprof.upload.period", Kind.SECONDS, "60s"),
			new Variable("DD_PROFILING_UPLOAD_TIMEOUT", "ddprof.upload.timeout", Kind.SECONDS, "30s"),
			new Variable("DD_PROFILING_UPLOAD_COMPRESSION", "ddprof.upload.compression", Kind.TEXT, "zstd"),
			new Variable(AGENTLESS_VARIABLE, "ddprof.agentless", Kind.BOOLEAN, "false"),
			new Variable("DD_API_KEY", "ddprof.api-key", Kind.TEXT, "none"),
			new Variable("DD_SITE", "ddprof.site", Kind.TEXT, "datadoghq.com"),
			new Variable("DD_PROFILING_TEMPDIR", "ddprof.temp-directory", Kind.TEXT, "java.io.tmpdir"));

	private static final String DEFAULT_AGENT_URL = "http://localhost:8126";


	private DatadogVariables() {
	}

	/** Maps the Datadog variables found through {@code env} to {@code ddprof.*} keys and values. */
	public static Map<String, String> toSettings(UnaryOperator<String> env) {
		return read(env).settings();
	}

	/**
	 * Reads the Datadog variables found through {@code env}: the {@code ddprof.*} keys and
	 * values ddprof can use, and the variables it had to set aside.
	 */
	public static Reading read(UnaryOperator<String> env) {
		Map<String, String> settings = new LinkedHashMap<>();
		List<IgnoredVariable> ignored = new ArrayList<>();
		for (Variable variable : VARIABLES) {
			String value = value(env, variable.name());
			if (value != null) {
				variable.read(value, settings, ignored);
			}
		}
		agentUrl(env, settings, ignored);
		Map<String, String> tags = new LinkedHashMap<>();
		tags.putAll(tags(env, "DD_TAGS", ignored));
		tags.putAll(tags(env, "DD_PROFILING_TAGS", ignored));
		tags.forEach((key, value) -> settings.put("ddprof.tags[" + key + "]", value));
		return new Reading(settings, ignored);
	}

	private static void agentUrl(UnaryOperator<String> env, Map<String, String> settings,
			List<IgnoredVariable> ignored) {
		String url = value(env, "DD_TRACE_AGENT_URL");
		if (url != null) {
			Variable.check("DD_TRACE_AGENT_URL", url, "ddprof.agent.url", url, DEFAULT_AGENT_URL, settings, ignored);
			return;
		}
		String host = value(env, "DD_AGENT_HOST");
		String port = value(env, "DD_TRACE_AGENT_PORT");
		if (host == null && port == null) {
			return;
		}
		String hostPart = (host != null) ? host : "localhost";
		if (hostPart.contains(":") && !hostPart.startsWith("[")) {
			hostPart = "[" + hostPart + "]";
		}
		String composed = "http://" + hostPart + ":" + ((port != null) ? port : "8126");
		String name = (host != null && port != null) ? "DD_AGENT_HOST and DD_TRACE_AGENT_PORT"
				: (host != null) ? "DD_AGENT_HOST" : "DD_TRACE_AGENT_PORT";
		String given = (host != null && port != null) ? host + "' and '" + port : (host != null) ? host : port;
		Variable.check(name, given, "ddprof.agent.url", composed, DEFAULT_AGENT_URL, settings, ignored);
	}

	/**
	 * {@code DD_PROFILING_AGENTLESS} set aside: it asked for agentless uploads, which need an API
	 * key, and none is set. Only when agentless came from that variable; {@code ddprof.agentless=true}
	 * without a key keeps failing start-up.
	 * @param value the variable's value
	 */
	public static IgnoredVariable agentlessWithoutApiKey(String value) {
		return IgnoredVariable.of(AGENTLESS_VARIABLE, value,
				"agentless uploads need an API key and neither DD_API_KEY nor ddprof.api-key is set",
				"the Datadog agent (ddprof.agentless=false)");
	}

	/** Whether {@code ignored} sets {@code DD_PROFILING_AGENTLESS} aside. */
	public static boolean agentlessSetAside(List<IgnoredVariable> ignored) {
		return ignored.stream().anyMatch((variable) -> variable.variable().equals(AGENTLESS_VARIABLE));
	}

	private static Map<String, String> tags(UnaryOperator<String> env, String name, List<IgnoredVariable> ignored) {
		String text = value(env, name);
		if (text == null) {
			return Map.of();
		}
		List<String> leftOut = new ArrayList<>();
		Map<String, String> tags = SettingValues.parseDatadogTags(text, leftOut);
		for (String entry : leftOut) {
			ignored.add(IgnoredVariable.of(name, entry, "a tag entry with no key", "the other entries"));
		}
		return tags;
	}

	private static @Nullable String value(UnaryOperator<String> env, String name) {
		String value = env.apply(name);
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	/**
	 * What the Datadog variables give.
	 * @param settings {@code ddprof.*} keys and values, each one usable
	 * @param ignored the variables set aside, in the order read
	 */
	public record Reading(Map<String, String> settings, List<IgnoredVariable> ignored) {
	}

	private enum Kind {

		TEXT(""), BOOLEAN(""), SECONDS("s"), MILLIS("ms"), BYTES("B");

		private final String unit;

		Kind(String unit) {
			this.unit = unit;
		}

	}

	private record Variable(String name, String key, Kind kind, String defaultText) {

		void read(String value, Map<String, String> settings, List<IgnoredVariable> ignored) {
			String translated = value;
			if (this.kind == Kind.BOOLEAN) {
				String lower = value.toLowerCase(Locale.ROOT);
				// Datadog's admission controller and single-step install write "auto": profiling on.
				if (lower.equals("auto") && this.key.equals("ddprof.enabled")) {
					translated = "true";
				}
			}
			else if (!this.kind.unit.isEmpty() && value.chars().allMatch(Character::isDigit)) {
				// Datadog gives bare numbers in a known unit.
				translated = value + this.kind.unit;
			}
			check(this.name, value, this.key, translated, this.defaultText, settings, ignored);
		}

		static void check(String name, @Nullable String value, String key, String translated, String defaultText,
				Map<String, String> settings, List<IgnoredVariable> ignored) {
			try {
				settings.put(key, SettingsResolver.check(key, translated));
			}
			catch (InvalidSettingException ex) {
				ignored.add(IgnoredVariable.of(name, value, ex.getAllowed(),
						"the default of " + key + " (" + defaultText + ") unless " + key + " is set"));
			}
		}

	}

}
