package io.ddprof.config;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Resolves settings for plain core (no Spring), first hit wins: the system property
 * {@code ddprof.x.y}, the environment variable {@code DDPROF_X_Y}, the Datadog,
 * OpenTelemetry or Pyroscope variable (see {@link DatadogVariables} and
 * {@link PipelineVariables}), the default.
 */
public final class SettingsResolver {

	private static final System.Logger logger = System.getLogger(SettingsResolver.class.getName());

	// The maps have a text form of their own and are resolved apart.
	private static final Map<String, Setting<?>> KEYS = Settings.all()
		.stream()
		.filter((setting) -> setting.kind() != Setting.Kind.MAP)
		.collect(Collectors.toMap(Setting::key, Function.identity(), (a, b) -> a, LinkedHashMap::new));

	private final UnaryOperator<String> systemProperties;

	private final UnaryOperator<String> environment;

	/** A resolver over the given lookups (for tests: maps; in production: the JVM's). */
	public SettingsResolver(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
		this.systemProperties = systemProperties;
		this.environment = environment;
	}

	/** A resolver over {@link System#getProperty} and {@link System#getenv}. */
	public static SettingsResolver fromSystem() {
		return new SettingsResolver(System::getProperty, System::getenv);
	}

	/**
	 * The {@code ddprof.*} keys this resolver knows: every key of docs/settings.md but
	 * the maps {@code ddprof.tags} and {@code ddprof.otlp.headers}, which are resolved
	 * apart.
	 */
	public static Iterable<String> keyNames() {
		return KEYS.keySet();
	}

	/**
	 * The name of the environment variable for a key: {@code ddprof.upload.queue-size} is
	 * {@code DDPROF_UPLOAD_QUEUE_SIZE}.
	 */
	public static String environmentName(String key) {
		return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
	}

	/**
	 * Resolves every key into a builder, ready for overrides and
	 * {@link ProfilerSettings.Builder#build()}.
	 * @throws InvalidSettingException for a value that does not parse
	 */
	public ProfilerSettings.Builder resolve() {
		DatadogVariables.Reading reading = DatadogVariables.read(this.environment);
		reading.ignored().forEach((ignored) -> logger.log(Level.WARNING, "ddprof: " + ignored.message()));
		Map<String, String> datadog = new LinkedHashMap<>(reading.settings());
		datadog.putAll(PipelineVariables.toSettings(this.environment, (key) -> own(key) != null));
		List<IgnoredVariable> ignored = new ArrayList<>(reading.ignored());
		ProfilerSettings.Builder builder = ProfilerSettings.builder();
		KEYS.forEach((key, setting) -> {
			String value = lookup(key, datadog);
			if (value != null) {
				setting.apply(builder, value);
			}
		});
		// DD_PROFILING_AGENTLESS=true with no API key anywhere: uploads go to the agent,
		// and the service starts.
		String apiKey = lookup(Settings.API_KEY.key(), datadog);
		if (own(Settings.AGENTLESS.key()) == null && "true".equals(datadog.get(Settings.AGENTLESS.key()))
				&& (apiKey == null || apiKey.isBlank())) {
			IgnoredVariable agentless = DatadogVariables
				.agentlessWithoutApiKey(this.environment.apply(DatadogVariables.AGENTLESS_VARIABLE));
			logger.log(Level.WARNING, "ddprof: " + agentless.message());
			ignored.add(agentless);
			builder.agentless(false);
		}
		builder.ignoredVariables(List.copyOf(ignored));
		// Tags merge key by key, own over Datadog's, as they do in Spring.
		Map<String, String> tags = new LinkedHashMap<>();
		datadog.forEach((key, value) -> {
			if (key.startsWith("ddprof.tags[")) {
				tags.put(key.substring("ddprof.tags[".length(), key.length() - 1), value);
			}
		});
		String ownTags = own("ddprof.tags");
		if (ownTags != null) {
			tags.putAll(SettingValues.parseTags("ddprof.tags", ownTags));
		}
		builder.tags(tags);
		String headers = lookup(PipelineVariables.HEADERS_KEY, datadog);
		if (headers != null) {
			builder.otlpHeaders(PipelineVariables.parseHeaders(PipelineVariables.HEADERS_KEY, headers));
		}
		return builder;
	}

	/**
	 * Checks one value as the key would take it, alone over the defaults.
	 * @return the value in the form the key's parser and Spring's binder both read
	 * @throws InvalidSettingException when the key would not take it
	 */
	static String check(String key, String value) {
		ProfilerSettings.Builder builder = ProfilerSettings.builder();
		// Agentless needs a key; whether one is set is not this value's fault.
		builder.apiKey("check");
		Setting<?> setting = KEYS.get(key);
		setting.apply(builder, value);
		builder.build();
		// Booleans as Spring's binder reads them, whatever spelling of true the variable
		// used.
		return (setting.kind() == Setting.Kind.BOOLEAN) ? setting.parse(value).toString() : value;
	}

	private @Nullable String lookup(String key, Map<String, String> datadog) {
		String own = own(key);
		return (own != null) ? own : datadog.get(key);
	}

	private @Nullable String own(String key) {
		String value = this.systemProperties.apply(key);
		if (value == null) {
			value = this.environment.apply(environmentName(key));
		}
		return (value == null) ? null : value.trim();
	}

}
