package io.ddprof.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The Datadog environment variables users already set ({@code DD_SERVICE},
 * {@code DD_TAGS}, {@code DD_PROFILING_UPLOAD_PERIOD}, ...) translated into
 * {@code ddprof.*} keys and values in ddprof's own notation, so that one parser serves
 * both. Plain core consults this after system properties and {@code DDPROF_*}; the Spring
 * module adds it as its lowest-priority property source. Tags come out as
 * {@code ddprof.tags[key]} entries.
 * <p>
 * Datadog's tooling (the admission controller, single-step install) writes these
 * variables for the user, so a value ddprof cannot use never stops start-up: it is left
 * out, with an {@link IgnoredVariable} saying what is used instead.
 */
public final class DatadogVariables {

	/** The variable that turns agentless uploads on. */
	public static final String AGENTLESS_VARIABLE = "DD_PROFILING_AGENTLESS";

	// Each key's own variable, from its definition. The agent's URL and the tags are
	// composed of
	// several variables and read apart, below.
	private static final List<Variable> VARIABLES = Settings.all()
		.stream()
		.filter((setting) -> setting.datadogVariable() != null)
		.filter((setting) -> setting != Settings.AGENT_URL && setting != Settings.TAGS)
		.map(Variable::of)
		.toList();

	private DatadogVariables() {
	}

	/**
	 * Maps the Datadog variables found through {@code env} to {@code ddprof.*} keys and
	 * values.
	 */
	public static Map<String, String> toSettings(UnaryOperator<String> env) {
		return read(env).settings();
	}

	/**
	 * Reads the Datadog variables found through {@code env}: the {@code ddprof.*} keys
	 * and values ddprof can use, and the variables it had to set aside.
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
		tags.putAll(tags(env, Settings.TAGS.datadogVariable(), ignored));
		tags.putAll(tags(env, "DD_PROFILING_TAGS", ignored));
		tags.forEach((key, value) -> settings.put(Settings.TAGS.key() + "[" + key + "]", value));
		return new Reading(settings, ignored);
	}

	private static void agentUrl(UnaryOperator<String> env, Map<String, String> settings,
			List<IgnoredVariable> ignored) {
		String url = value(env, Settings.AGENT_URL.datadogVariable());
		if (url != null) {
			Variable.check(Settings.AGENT_URL.datadogVariable(), url, Settings.AGENT_URL.key(), url,
					Settings.AGENT_URL.defaultText(), settings, ignored);
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
		Variable.check(name, given, Settings.AGENT_URL.key(), composed, Settings.AGENT_URL.defaultText(), settings,
				ignored);
	}

	/**
	 * {@code DD_PROFILING_AGENTLESS} set aside: it asked for agentless uploads, which
	 * need an API key, and none is set. Only when agentless came from that variable;
	 * {@code ddprof.agentless=true} without a key keeps failing start-up.
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
	 *
	 * @param settings {@code ddprof.*} keys and values, each one usable
	 * @param ignored the variables set aside, in the order read
	 */
	public record Reading(Map<String, String> settings, List<IgnoredVariable> ignored) {
	}

	private record Variable(String name, String key, Setting.Kind kind, String unit, String defaultText) {

		static Variable of(Setting<?> setting) {
			// Datadog gives bare numbers in the unit the key reads them in.
			String unit = switch (setting.kind()) {
				case DURATION -> Setting.symbol(setting.bareUnit());
				case SIZE -> "B";
				default -> "";
			};
			return new Variable(setting.datadogVariable(), setting.key(), setting.kind(), unit, setting.defaultText());
		}

		void read(String value, Map<String, String> settings, List<IgnoredVariable> ignored) {
			String translated = value;
			if (this.kind == Setting.Kind.BOOLEAN) {
				String lower = value.toLowerCase(Locale.ROOT);
				// Datadog's admission controller and single-step install write "auto":
				// profiling on.
				if (lower.equals("auto") && this.key.equals(Settings.ENABLED.key())) {
					translated = "true";
				}
			}
			else if (!this.unit.isEmpty() && value.chars().allMatch(Character::isDigit)) {
				translated = value + this.unit;
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
