package io.ddprof.config;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Resolves settings for plain core (no Spring), first hit wins: the system property
 * {@code ddprof.x.y}, the environment variable {@code DDPROF_X_Y}, the Datadog, OpenTelemetry or
 * Pyroscope variable (see {@link DatadogVariables} and {@link PipelineVariables}), the default.
 */
public final class SettingsResolver {

	private static final System.Logger logger = System.getLogger(SettingsResolver.class.getName());

	private static final Map<String, BiConsumer<ProfilerSettings.Builder, String>> KEYS = keys();

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
	 * The {@code ddprof.*} keys this resolver knows: every key of docs/settings.md but the maps
	 * {@code ddprof.tags} and {@code ddprof.otlp.headers}, which are resolved apart.
	 */
	public static Iterable<String> keyNames() {
		return KEYS.keySet();
	}

	/** The name of the environment variable for a key: {@code ddprof.upload.queue-size} is {@code DDPROF_UPLOAD_QUEUE_SIZE}. */
	public static String environmentName(String key) {
		return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
	}

	/**
	 * Resolves every key into a builder, ready for overrides and {@link ProfilerSettings.Builder#build()}.
	 * @throws InvalidSettingException for a value that does not parse
	 */
	public ProfilerSettings.Builder resolve() {
		DatadogVariables.Reading reading = DatadogVariables.read(this.environment);
		reading.ignored().forEach((ignored) -> logger.log(Level.WARNING, "ddprof: " + ignored.message()));
		Map<String, String> datadog = new LinkedHashMap<>(reading.settings());
		datadog.putAll(PipelineVariables.toSettings(this.environment, (key) -> own(key) != null));
		List<IgnoredVariable> ignored = new ArrayList<>(reading.ignored());
		ProfilerSettings.Builder builder = ProfilerSettings.builder();
		KEYS.forEach((key, applier) -> {
			String value = lookup(key, datadog);
			if (value != null) {
				applier.accept(builder, value);
			}
		});
		// DD_PROFILING_AGENTLESS=true with no API key anywhere: uploads go to the agent, and the service starts.
		String apiKey = lookup("ddprof.api-key", datadog);
		if (own("ddprof.agentless") == null && "true".equals(datadog.get("ddprof.agentless"))
				&& (apiKey == null || apiKey.isBlank())) {
			IgnoredVariable agentless = DatadogVariables.agentlessWithoutApiKey(
					this.environment.apply(DatadogVariables.AGENTLESS_VARIABLE));
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
		KEYS.get(key).accept(builder, value);
		ProfilerSettings settings = builder.build();
		return switch (key) {
			case "ddprof.enabled" -> Boolean.toString(settings.enabled());
			case "ddprof.live-heap.enabled" -> Boolean.toString(settings.liveHeapEnabled());
			case "ddprof.agentless" -> Boolean.toString(settings.agent().agentless());
			default -> value;
		};
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

	private static Map<String, BiConsumer<ProfilerSettings.Builder, String>> keys() {
		Map<String, BiConsumer<ProfilerSettings.Builder, String>> keys = new LinkedHashMap<>();
		keys.put("ddprof.enabled", (b, v) -> b.enabled(SettingValues.parseBoolean("ddprof.enabled", v)));
		keys.put("ddprof.service", ProfilerSettings.Builder::service);
		keys.put("ddprof.env", ProfilerSettings.Builder::env);
		keys.put("ddprof.version", ProfilerSettings.Builder::version);
		keys.put("ddprof.start-delay", (b, v) -> b.startDelay(SettingValues.parseDuration("ddprof.start-delay", v, "s")));
		keys.put("ddprof.engine", (b, v) -> b.engine(EngineChoice.parse("ddprof.engine", v)));
		keys.put("ddprof.cpu.enabled", (b, v) -> b.cpuEnabled(SettingValues.parseBoolean("ddprof.cpu.enabled", v)));
		keys.put("ddprof.cpu.interval", (b, v) -> b.cpuInterval(SettingValues.parseDuration("ddprof.cpu.interval", v, "ms")));
		keys.put("ddprof.wall.enabled", (b, v) -> b.wallEnabled(SettingValues.parseBoolean("ddprof.wall.enabled", v)));
		keys.put("ddprof.wall.interval", (b, v) -> b.wallInterval(SettingValues.parseDuration("ddprof.wall.interval", v, "ms")));
		keys.put("ddprof.wall.context-filter",
				(b, v) -> b.wallContextFilter(SettingValues.parseBoolean("ddprof.wall.context-filter", v)));
		keys.put("ddprof.wall.threads-per-tick",
				(b, v) -> b.wallThreadsPerTick(SettingValues.parseInt("ddprof.wall.threads-per-tick", v)));
		keys.put("ddprof.alloc.enabled", (b, v) -> b.allocEnabled(SettingValues.parseBoolean("ddprof.alloc.enabled", v)));
		keys.put("ddprof.alloc.interval", (b, v) -> b.allocInterval(SettingValues.parseDataSize("ddprof.alloc.interval", v)));
		keys.put("ddprof.alloc.samples-per-second",
				(b, v) -> b.allocSamplesPerSecond(SettingValues.parseInt("ddprof.alloc.samples-per-second", v)));
		keys.put("ddprof.live-heap.enabled",
				(b, v) -> b.liveHeapEnabled(SettingValues.parseBoolean("ddprof.live-heap.enabled", v)));
		keys.put("ddprof.lock.enabled", (b, v) -> b.lockEnabled(SettingValues.parseBoolean("ddprof.lock.enabled", v)));
		keys.put("ddprof.lock.threshold",
				(b, v) -> b.lockThreshold(SettingValues.parseDuration("ddprof.lock.threshold", v, "ms")));
		keys.put("ddprof.stack-depth", (b, v) -> b.stackDepth(SettingValues.parseInt("ddprof.stack-depth", v)));
		keys.put("ddprof.upload.enabled", (b, v) -> b.uploadEnabled(SettingValues.parseBoolean("ddprof.upload.enabled", v)));
		keys.put("ddprof.upload.period", (b, v) -> b.uploadPeriod(SettingValues.parseDuration("ddprof.upload.period", v, "s")));
		keys.put("ddprof.upload.timeout",
				(b, v) -> b.uploadTimeout(SettingValues.parseDuration("ddprof.upload.timeout", v, "s")));
		keys.put("ddprof.upload.compression", (b, v) -> b.compression(Compression.parse("ddprof.upload.compression", v)));
		keys.put("ddprof.upload.queue-size", (b, v) -> b.queueSize(SettingValues.parseInt("ddprof.upload.queue-size", v)));
		keys.put("ddprof.agent.url", ProfilerSettings.Builder::agentUrl);
		keys.put("ddprof.agentless", (b, v) -> b.agentless(SettingValues.parseBoolean("ddprof.agentless", v)));
		keys.put("ddprof.api-key", ProfilerSettings.Builder::apiKey);
		keys.put("ddprof.site", ProfilerSettings.Builder::site);
		keys.put("ddprof.local.directory", (b, v) -> b.localDirectory(v.isEmpty() ? null : Path.of(v)));
		keys.put("ddprof.local.max-size", (b, v) -> b.localMaxSize(SettingValues.parseDataSize("ddprof.local.max-size", v)));
		keys.put("ddprof.history.max-windows",
				(b, v) -> b.historyMaxWindows(SettingValues.parseInt("ddprof.history.max-windows", v)));
		keys.put("ddprof.history.max-size",
				(b, v) -> b.historyMaxSize(SettingValues.parseDataSize("ddprof.history.max-size", v)));
		keys.put("ddprof.temp-directory", (b, v) -> b.tempDirectory(v.isEmpty() ? null : Path.of(v)));
		keys.put("ddprof.otlp.enabled", (b, v) -> b.otlpEnabled(SettingValues.parseBoolean("ddprof.otlp.enabled", v)));
		keys.put("ddprof.otlp.endpoint", ProfilerSettings.Builder::otlpEndpoint);
		keys.put("ddprof.otlp.timeout", (b, v) -> b.otlpTimeout(SettingValues.parseDuration("ddprof.otlp.timeout", v, "s")));
		keys.put("ddprof.otlp.compression",
				(b, v) -> b.otlpGzip(PipelineVariables.parseGzip("ddprof.otlp.compression", v)));
		keys.put("ddprof.pyroscope.enabled",
				(b, v) -> b.pyroscopeEnabled(SettingValues.parseBoolean("ddprof.pyroscope.enabled", v)));
		keys.put("ddprof.pyroscope.url", ProfilerSettings.Builder::pyroscopeUrl);
		keys.put("ddprof.pyroscope.tenant-id", ProfilerSettings.Builder::pyroscopeTenantId);
		keys.put("ddprof.pyroscope.basic-auth.username", ProfilerSettings.Builder::pyroscopeBasicAuthUsername);
		keys.put("ddprof.pyroscope.basic-auth.password", ProfilerSettings.Builder::pyroscopeBasicAuthPassword);
		keys.put("ddprof.pyroscope.auth-token", ProfilerSettings.Builder::pyroscopeAuthToken);
		return keys;
	}

}
