package io.ddprof.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every {@code ddprof.*} key of docs/settings.md, each defined once, in the order of that
 * page. Adding a key is one constant here (and its place in {@link ProfilerSettings});
 * the tests then name every place that does not know it yet.
 */
public final class Settings {

	/** {@code ddprof.enabled}. */
	public static final Setting<Boolean> ENABLED = Setting
		.bool("ddprof.enabled", true, ProfilerSettings.Builder::enabled)
		.datadog("DD_PROFILING_ENABLED");

	/** {@code ddprof.service}. */
	public static final Setting<String> SERVICE = Setting
		.text("ddprof.service", ProfilerSettings.DEFAULT_SERVICE, ProfilerSettings.Builder::service)
		.checking(Setting::requireText)
		.describedAs("spring.application.name, else " + ProfilerSettings.DEFAULT_SERVICE)
		.datadog("DD_SERVICE");

	/** {@code ddprof.env}. */
	public static final Setting<String> ENV = Setting.text("ddprof.env", null, ProfilerSettings.Builder::env)
		.datadog("DD_ENV");

	/** {@code ddprof.version}. */
	public static final Setting<String> VERSION = Setting
		.text("ddprof.version", null, ProfilerSettings.Builder::version)
		.datadog("DD_VERSION");

	/**
	 * {@code ddprof.tags}: read from {@code DD_TAGS}, with {@code DD_PROFILING_TAGS}
	 * merged over it, as {@link DatadogVariables} reads them.
	 */
	public static final Setting<Map<String, String>> TAGS = Setting.map("ddprof.tags").datadog("DD_TAGS");

	/** {@code ddprof.start-delay}. */
	public static final Setting<Duration> START_DELAY = Setting
		.duration("ddprof.start-delay", Duration.ZERO, ChronoUnit.SECONDS, Setting::requireNotNegative,
				ProfilerSettings.Builder::startDelay)
		.datadog("DD_PROFILING_START_DELAY");

	/** {@code ddprof.engine}. */
	public static final Setting<EngineChoice> ENGINE = Setting.choice("ddprof.engine", EngineChoice.AUTO,
			EngineChoice.values(), EngineChoice::value, ProfilerSettings.Builder::engine);

	/** {@code ddprof.cpu.enabled}. */
	public static final Setting<Boolean> CPU_ENABLED = Setting.bool("ddprof.cpu.enabled", true,
			ProfilerSettings.Builder::cpuEnabled);

	/** {@code ddprof.cpu.interval}. */
	public static final Setting<Duration> CPU_INTERVAL = Setting
		.duration("ddprof.cpu.interval", Duration.ofMillis(10), ChronoUnit.MILLIS,
				ProfilerSettings.Builder::cpuInterval)
		.datadog("DD_PROFILING_DDPROF_CPU_INTERVAL_MS");

	/** {@code ddprof.wall.enabled}. */
	public static final Setting<Boolean> WALL_ENABLED = Setting.bool("ddprof.wall.enabled", true,
			ProfilerSettings.Builder::wallEnabled);

	/** {@code ddprof.wall.interval}. */
	public static final Setting<Duration> WALL_INTERVAL = Setting
		.duration("ddprof.wall.interval", Duration.ofMillis(50), ChronoUnit.MILLIS,
				ProfilerSettings.Builder::wallInterval)
		.datadog("DD_PROFILING_DDPROF_WALL_INTERVAL_MS");

	/** {@code ddprof.wall.context-filter}. */
	public static final Setting<Boolean> WALL_CONTEXT_FILTER = Setting.bool("ddprof.wall.context-filter", true,
			ProfilerSettings.Builder::wallContextFilter);

	/** {@code ddprof.wall.threads-per-tick}. */
	public static final Setting<Integer> WALL_THREADS_PER_TICK = Setting.integer("ddprof.wall.threads-per-tick", 16, 1,
			1024, ProfilerSettings.Builder::wallThreadsPerTick);

	/** {@code ddprof.alloc.enabled}. */
	public static final Setting<Boolean> ALLOC_ENABLED = Setting.bool("ddprof.alloc.enabled", true,
			ProfilerSettings.Builder::allocEnabled);

	/** {@code ddprof.alloc.interval}: unset, adaptive. */
	public static final Setting<Long> ALLOC_INTERVAL = Setting
		.optionalSize("ddprof.alloc.interval", "the adaptive interval", (key, bytes) -> {
			if (bytes != null && bytes <= 0) {
				throw new InvalidSettingException(key, bytes + "B",
						"expected a positive size such as 256KB, or no value for the adaptive interval");
			}
		}, ProfilerSettings.Builder::allocInterval)
		.datadog("DD_PROFILING_DDPROF_ALLOC_INTERVAL");

	/** {@code ddprof.alloc.samples-per-second}. */
	public static final Setting<Integer> ALLOC_SAMPLES_PER_SECOND = Setting.integer("ddprof.alloc.samples-per-second",
			200, 1, 100_000, ProfilerSettings.Builder::allocSamplesPerSecond);

	/** {@code ddprof.live-heap.enabled}. */
	public static final Setting<Boolean> LIVE_HEAP_ENABLED = Setting
		.bool("ddprof.live-heap.enabled", false, ProfilerSettings.Builder::liveHeapEnabled)
		.datadog("DD_PROFILING_HEAP_ENABLED");

	/** {@code ddprof.lock.enabled}. */
	public static final Setting<Boolean> LOCK_ENABLED = Setting.bool("ddprof.lock.enabled", true,
			ProfilerSettings.Builder::lockEnabled);

	/** {@code ddprof.lock.threshold}. */
	public static final Setting<Duration> LOCK_THRESHOLD = Setting.duration("ddprof.lock.threshold",
			Duration.ofMillis(10), ChronoUnit.MILLIS, ProfilerSettings.Builder::lockThreshold);

	/** {@code ddprof.stack-depth}. */
	public static final Setting<Integer> STACK_DEPTH = Setting
		.integer("ddprof.stack-depth", 512, 1, 4096, ProfilerSettings.Builder::stackDepth)
		.datadog("DD_PROFILING_STACKDEPTH");

	/** {@code ddprof.upload.enabled}. */
	public static final Setting<Boolean> UPLOAD_ENABLED = Setting.bool("ddprof.upload.enabled", true,
			ProfilerSettings.Builder::uploadEnabled);

	/** {@code ddprof.upload.period}: the length of a window, at least a second. */
	public static final Setting<Duration> UPLOAD_PERIOD = Setting
		.duration("ddprof.upload.period", Duration.ofSeconds(60), ChronoUnit.SECONDS,
				ProfilerSettings.Builder::uploadPeriod)
		.checking((key, period) -> {
			if (period.compareTo(Duration.ofSeconds(1)) < 0) {
				throw new InvalidSettingException(key, Setting.formatMillis(period),
						"expected a duration of at least 1s (60s is the default)");
			}
		})
		.datadog("DD_PROFILING_UPLOAD_PERIOD");

	/** {@code ddprof.upload.timeout}. */
	public static final Setting<Duration> UPLOAD_TIMEOUT = Setting
		.duration("ddprof.upload.timeout", Duration.ofSeconds(30), ChronoUnit.SECONDS,
				ProfilerSettings.Builder::uploadTimeout)
		.datadog("DD_PROFILING_UPLOAD_TIMEOUT");

	/** {@code ddprof.upload.compression}. */
	public static final Setting<Compression> UPLOAD_COMPRESSION = Setting
		.choice("ddprof.upload.compression", Compression.ZSTD, Compression.values(), Compression::value,
				ProfilerSettings.Builder::compression)
		.datadog("DD_PROFILING_UPLOAD_COMPRESSION");

	/** {@code ddprof.upload.queue-size}. */
	public static final Setting<Integer> UPLOAD_QUEUE_SIZE = Setting.integer("ddprof.upload.queue-size", 4, 1, 1000,
			ProfilerSettings.Builder::queueSize);

	/**
	 * {@code ddprof.agent.url}: {@code http(s)://} or {@code unix://}. Read from
	 * {@code DD_TRACE_AGENT_URL}, else composed of {@code DD_AGENT_HOST} and
	 * {@code DD_TRACE_AGENT_PORT} (see {@link DatadogVariables}).
	 */
	public static final Setting<String> AGENT_URL = Setting
		.url("ddprof.agent.url", ProfilerSettings.Agent.DEFAULT_URL.toString(), ProfilerSettings.Builder::agentUrl)
		.checking((key, url) -> {
			if (url != null) {
				SettingValues.parseUrl(key, url);
			}
		})
		.datadog("DD_TRACE_AGENT_URL");

	/** {@code ddprof.agentless}: {@code true} needs {@link #API_KEY}. */
	public static final Setting<Boolean> AGENTLESS = Setting
		.bool("ddprof.agentless", false, ProfilerSettings.Builder::agentless)
		.datadog(DatadogVariables.AGENTLESS_VARIABLE);

	/** {@code ddprof.api-key}. */
	public static final Setting<String> API_KEY = Setting.text("ddprof.api-key", null, ProfilerSettings.Builder::apiKey)
		.secret()
		.datadog("DD_API_KEY");

	/** {@code ddprof.site}: a host name. */
	public static final Setting<String> SITE = Setting
		.text("ddprof.site", "datadoghq.com", ProfilerSettings.Builder::site)
		.checking((key, site) -> {
			Setting.requireText(key, site);
			if (!site.matches("[A-Za-z0-9.-]+")) {
				throw new InvalidSettingException(key, site,
						"expected a Datadog site host name such as datadoghq.com or datadoghq.eu");
			}
		})
		.datadog("DD_SITE");

	/** {@code ddprof.local.directory}: unset, no local copies. */
	public static final Setting<Path> LOCAL_DIRECTORY = Setting.path("ddprof.local.directory", null,
			"none: no local copies", ProfilerSettings.Builder::localDirectory);

	/** {@code ddprof.local.max-size}. */
	public static final Setting<Long> LOCAL_MAX_SIZE = Setting.size("ddprof.local.max-size", 256L << 20,
			ProfilerSettings.Builder::localMaxSize);

	/** {@code ddprof.history.max-windows}. */
	public static final Setting<Integer> HISTORY_MAX_WINDOWS = Setting.integer("ddprof.history.max-windows", 15, 0,
			10_000, ProfilerSettings.Builder::historyMaxWindows);

	/** {@code ddprof.history.max-size}. */
	public static final Setting<Long> HISTORY_MAX_SIZE = Setting.size("ddprof.history.max-size", 128L << 20,
			ProfilerSettings.Builder::historyMaxSize);

	/** {@code ddprof.temp-directory}. */
	public static final Setting<Path> TEMP_DIRECTORY = Setting
		.path("ddprof.temp-directory", Path.of(System.getProperty("java.io.tmpdir")), "java.io.tmpdir",
				ProfilerSettings.Builder::tempDirectory)
		.checking((key, directory) -> {
			if (directory == null) {
				throw new InvalidSettingException(key, "", "expected a directory path");
			}
		})
		.datadog("DD_PROFILING_TEMPDIR");

	/** {@code ddprof.otlp.enabled}: unset, on when an endpoint is named. */
	public static final Setting<Boolean> OTLP_ENABLED = Setting.optionalBool("ddprof.otlp.enabled",
			"on when an endpoint is named", ProfilerSettings.Builder::otlpEnabled);

	/**
	 * {@code ddprof.otlp.endpoint}: {@code http(s)://}; a URL without a path gets the
	 * profiles signal's.
	 */
	public static final Setting<String> OTLP_ENDPOINT = Setting
		.url("ddprof.otlp.endpoint", ProfilerSettings.Otlp.DEFAULT_BASE + ProfilerSettings.Otlp.SIGNAL_PATH,
				ProfilerSettings.Builder::otlpEndpoint)
		.checking((key, endpoint) -> requireHttp(key, endpoint,
				ProfilerSettings.Otlp.DEFAULT_BASE + ProfilerSettings.Otlp.SIGNAL_PATH));

	/** {@code ddprof.otlp.headers}: header names of token characters, secret values. */
	public static final Setting<Map<String, String>> OTLP_HEADERS = Setting.map(PipelineVariables.HEADERS_KEY)
		.secret()
		.checking((key, headers) -> headers.keySet().forEach((name) -> {
			if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
				throw new InvalidSettingException(key, name,
						"expected HTTP header names such as api-key or Authorization");
			}
		}));

	/**
	 * {@code ddprof.otlp.timeout}: a bare number is milliseconds, as in Spring Boot and
	 * in the OpenTelemetry variables.
	 */
	public static final Setting<Duration> OTLP_TIMEOUT = Setting.duration("ddprof.otlp.timeout", Duration.ofSeconds(10),
			ChronoUnit.MILLIS, ProfilerSettings.Builder::otlpTimeout);

	/** {@code ddprof.otlp.compression}. */
	public static final Setting<String> OTLP_COMPRESSION = Setting.words("ddprof.otlp.compression", "gzip",
			List.of("gzip", "none"),
			(builder, value) -> builder.otlpGzip(PipelineVariables.parseGzip("ddprof.otlp.compression", value)));

	/** {@code ddprof.pyroscope.enabled}: unset, on when a URL is named. */
	public static final Setting<Boolean> PYROSCOPE_ENABLED = Setting.optionalBool("ddprof.pyroscope.enabled",
			"on when a URL is named", ProfilerSettings.Builder::pyroscopeEnabled);

	/** {@code ddprof.pyroscope.url}: {@code http(s)://}. */
	public static final Setting<String> PYROSCOPE_URL = Setting
		.url("ddprof.pyroscope.url", ProfilerSettings.Pyroscope.DEFAULT_URL, ProfilerSettings.Builder::pyroscopeUrl)
		.checking((key, url) -> requireHttp(key, url, ProfilerSettings.Pyroscope.DEFAULT_URL));

	/** {@code ddprof.pyroscope.tenant-id}. */
	public static final Setting<String> PYROSCOPE_TENANT_ID = Setting.text("ddprof.pyroscope.tenant-id", null,
			ProfilerSettings.Builder::pyroscopeTenantId);

	/** {@code ddprof.pyroscope.basic-auth.username}: set together with the password. */
	public static final Setting<String> PYROSCOPE_BASIC_AUTH_USERNAME = Setting
		.text("ddprof.pyroscope.basic-auth.username", null, ProfilerSettings.Builder::pyroscopeBasicAuthUsername);

	/** {@code ddprof.pyroscope.basic-auth.password}: set together with the user. */
	public static final Setting<String> PYROSCOPE_BASIC_AUTH_PASSWORD = Setting
		.text("ddprof.pyroscope.basic-auth.password", null, ProfilerSettings.Builder::pyroscopeBasicAuthPassword)
		.secret();

	/**
	 * {@code ddprof.pyroscope.auth-token}: a bearer token, used when no basic-auth user
	 * is set.
	 */
	public static final Setting<String> PYROSCOPE_AUTH_TOKEN = Setting
		.text("ddprof.pyroscope.auth-token", null, ProfilerSettings.Builder::pyroscopeAuthToken)
		.secret();

	private static final List<Setting<?>> ALL = List.of(ENABLED, SERVICE, ENV, VERSION, TAGS, START_DELAY, ENGINE,
			CPU_ENABLED, CPU_INTERVAL, WALL_ENABLED, WALL_INTERVAL, WALL_CONTEXT_FILTER, WALL_THREADS_PER_TICK,
			ALLOC_ENABLED, ALLOC_INTERVAL, ALLOC_SAMPLES_PER_SECOND, LIVE_HEAP_ENABLED, LOCK_ENABLED, LOCK_THRESHOLD,
			STACK_DEPTH, UPLOAD_ENABLED, UPLOAD_PERIOD, UPLOAD_TIMEOUT, UPLOAD_COMPRESSION, UPLOAD_QUEUE_SIZE,
			AGENT_URL, AGENTLESS, API_KEY, SITE, LOCAL_DIRECTORY, LOCAL_MAX_SIZE, HISTORY_MAX_WINDOWS, HISTORY_MAX_SIZE,
			TEMP_DIRECTORY, OTLP_ENABLED, OTLP_ENDPOINT, OTLP_HEADERS, OTLP_TIMEOUT, OTLP_COMPRESSION,
			PYROSCOPE_ENABLED, PYROSCOPE_URL, PYROSCOPE_TENANT_ID, PYROSCOPE_BASIC_AUTH_USERNAME,
			PYROSCOPE_BASIC_AUTH_PASSWORD, PYROSCOPE_AUTH_TOKEN);

	private Settings() {
	}

	/** Every key, in the order of docs/settings.md. */
	public static List<Setting<?>> all() {
		return ALL;
	}

	// The exporters speak HTTP only: the agent's Unix socket is not theirs.
	private static void requireHttp(String key, String url, String example) {
		if (url == null) {
			throw new InvalidSettingException(key, "null", "expected an http:// or https:// URL such as " + example);
		}
		URI uri = SettingValues.parseUrl(key, url);
		if (uri.getScheme().toLowerCase(Locale.ROOT).equals("unix")) {
			throw new InvalidSettingException(key, url, "expected an http:// or https:// URL such as " + example);
		}
	}

}
