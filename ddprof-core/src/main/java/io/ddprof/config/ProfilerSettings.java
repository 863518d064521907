package io.ddprof.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Every {@code ddprof.*} setting, immutable once built (see docs/settings.md for the
 * contract). Built with {@link #builder()}, or resolved from system properties and
 * environment variables with {@link SettingsResolver}. Each key is defined in
 * {@link Settings}; this record and its parts check their values against those
 * definitions, so that no constructor and no builder makes settings that are not allowed.
 *
 * @param enabled whether profiling runs at all
 * @param service service name
 * @param env deployment environment, or {@code null}
 * @param version application version, or {@code null}
 * @param tags extra tags on every profile
 * @param startDelay delay between {@code start()} and the first recording
 * @param engine the sampling engine to use
 * @param cpu CPU sampling
 * @param wall wall-clock sampling
 * @param alloc allocation sampling
 * @param liveHeapEnabled whether live-heap (leak) tracking runs
 * @param lock lock-contention sampling
 * @param stackDepth frames kept per stack
 * @param upload window period and upload behaviour
 * @param agent where profiles are sent
 * @param local the local directory exporter
 * @param history the in-memory history of recent windows
 * @param tempDirectory where windows in progress and waiting uploads are kept
 * @param otlp the OTLP profiles export
 * @param pyroscope the Grafana Pyroscope export
 * @param ignoredVariables Datadog variables whose values could not be used, and what was
 * used instead
 */
public record ProfilerSettings(boolean enabled, String service, @Nullable String env, @Nullable String version,
		Map<String, String> tags, Duration startDelay, EngineChoice engine, Cpu cpu, Wall wall, Alloc alloc,
		boolean liveHeapEnabled, Lock lock, int stackDepth, Upload upload, Agent agent, Local local, History history,
		Path tempDirectory, Otlp otlp, Pyroscope pyroscope, List<IgnoredVariable> ignoredVariables) {

	/** Service name used when neither settings nor the application name give one. */
	public static final String DEFAULT_SERVICE = "unnamed-java-app";

	/**
	 * Checks every value of its own and that no part is missing; keeps the tags' order.
	 * @throws InvalidSettingException naming the first key whose value is not allowed
	 */
	public ProfilerSettings {
		Settings.SERVICE.validate(service);
		tags = checkTags(tags);
		Settings.START_DELAY.validate(startDelay);
		Settings.ENGINE.validate(engine);
		required("ddprof.cpu", cpu);
		required("ddprof.wall", wall);
		required("ddprof.alloc", alloc);
		required("ddprof.lock", lock);
		Settings.STACK_DEPTH.validate(stackDepth);
		required("ddprof.upload", upload);
		required("ddprof.agent", agent);
		required("ddprof.local", local);
		required("ddprof.history", history);
		Settings.TEMP_DIRECTORY.validate(tempDirectory);
		required("ddprof.otlp", otlp);
		required("ddprof.pyroscope", pyroscope);
		ignoredVariables = (ignoredVariables != null) ? List.copyOf(ignoredVariables) : List.of();
	}

	/** A builder holding the defaults of docs/settings.md. */
	public static Builder builder() {
		return new Builder();
	}

	/** A builder starting from these settings. */
	public Builder toBuilder() {
		return new Builder(this);
	}

	// Only what would break tags_profiler: Datadog's own variables may hold keys that
	// ddprof.tags does not accept (SettingValues.checkTagKey), and they must not stop
	// start-up.
	private static Map<String, String> checkTags(Map<String, String> tags) {
		if (tags == null) {
			return Map.of();
		}
		tags.keySet().forEach((key) -> {
			if (key == null || key.isBlank() || key.contains(",")) {
				throw new InvalidSettingException(Settings.TAGS.key(), String.valueOf(key),
						"tag keys are not empty and hold no comma");
			}
		});
		return Collections.unmodifiableMap(new LinkedHashMap<>(tags));
	}

	private static void required(String group, Object part) {
		if (part == null) {
			throw new InvalidSettingException(group, "null", "expected the settings of " + group + ".*");
		}
	}

	/** CPU sampling: {@code ddprof.cpu.*}. */
	public record Cpu(boolean enabled, Duration interval) {

		/** Checks the interval. */
		public Cpu {
			Settings.CPU_INTERVAL.validate(interval);
		}

	}

	/** Wall-clock sampling: {@code ddprof.wall.*}. */
	public record Wall(boolean enabled, Duration interval, boolean contextFilter, int threadsPerTick) {

		/** Checks the interval and the threads per tick. */
		public Wall {
			Settings.WALL_INTERVAL.validate(interval);
			Settings.WALL_THREADS_PER_TICK.validate(threadsPerTick);
		}

	}

	/**
	 * Allocation sampling: {@code ddprof.alloc.*}. A {@code null} interval means
	 * adaptive: re-chosen each window to keep about {@code samplesPerSecond}.
	 */
	public record Alloc(boolean enabled, @Nullable Long interval, int samplesPerSecond) {

		/** Checks the interval and the samples per second. */
		public Alloc {
			Settings.ALLOC_INTERVAL.validate(interval);
			Settings.ALLOC_SAMPLES_PER_SECOND.validate(samplesPerSecond);
		}

	}

	/** Lock-contention sampling: {@code ddprof.lock.*}. */
	public record Lock(boolean enabled, Duration threshold) {

		/** Checks the threshold. */
		public Lock {
			Settings.LOCK_THRESHOLD.validate(threshold);
		}

	}

	/** Windows and their upload: {@code ddprof.upload.*}. */
	public record Upload(boolean enabled, Duration period, Duration timeout, Compression compression, int queueSize) {

		/**
		 * Checks the period, the timeout, the queue size and that a compression is
		 * chosen.
		 */
		public Upload {
			Settings.UPLOAD_PERIOD.validate(period);
			Settings.UPLOAD_TIMEOUT.validate(timeout);
			Settings.UPLOAD_QUEUE_SIZE.validate(queueSize);
			Settings.UPLOAD_COMPRESSION.validate(compression);
		}

	}

	/**
	 * Destination of uploads: {@code ddprof.agent.url} ({@code null} when not set: the
	 * agent is then looked for where it usually listens, see {@code AgentLocator}),
	 * {@code ddprof.agentless}, {@code ddprof.api-key}, {@code ddprof.site}. The key
	 * never appears in {@link #toString()}.
	 */
	public record Agent(@Nullable URI url, boolean agentless, @Nullable String apiKey, String site) {

		/**
		 * Where the agent listens when nothing says otherwise and its Unix socket is not
		 * there.
		 */
		public static final URI DEFAULT_URL = URI.create("http://localhost:8126");

		/**
		 * Checks the URL and the site, and that agentless uploads have an API key.
		 * @throws InvalidSettingException naming the first key whose value is not allowed
		 */
		public Agent {
			if (url != null) {
				Settings.AGENT_URL.validate(url.toString());
			}
			Settings.SITE.validate(site);
			if (agentless && (apiKey == null || apiKey.isBlank())) {
				throw new InvalidSettingException(Settings.API_KEY.key(), "",
						"an API key is required when ddprof.agentless=true (set ddprof.api-key or DD_API_KEY)");
			}
		}

		/** Whether an API key is set. */
		public boolean hasApiKey() {
			return this.apiKey != null && !this.apiKey.isBlank();
		}

		/** The agent URL set, or {@link #DEFAULT_URL}. */
		public URI urlOrDefault() {
			return (this.url != null) ? this.url : DEFAULT_URL;
		}

		/**
		 * Where profiles go over HTTP: the agent's input at {@link #urlOrDefault()}, or
		 * the site's intake when agentless.
		 */
		public URI endpoint() {
			if (this.agentless) {
				return URI.create("https://intake.profile." + this.site + "/api/v2/profile");
			}
			String base = urlOrDefault().toString();
			return URI
				.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/profiling/v1/input");
		}

		/**
		 * {@link #endpoint()} as it may be shown in status and logs: credentials in the
		 * URL replaced.
		 */
		public URI displayEndpoint() {
			URI endpoint = endpoint();
			if (endpoint.getRawUserInfo() == null) {
				return endpoint;
			}
			return URI.create(endpoint.toString().replace(endpoint.getRawUserInfo() + "@", "***@"));
		}

		@Override
		public String toString() {
			return "Agent[url=" + ((this.url != null) ? IgnoredVariable.mask("url", this.url.toString()) : "unset")
					+ ", agentless=" + this.agentless + ", apiKey=" + (hasApiKey() ? "<redacted>" : "none") + ", site="
					+ this.site + "]";
		}

	}

	/**
	 * The local directory exporter: {@code ddprof.local.*}; a {@code null} directory
	 * turns it off.
	 */
	public record Local(@Nullable Path directory, long maxSize) {

		/** Checks the maximum size. */
		public Local {
			Settings.LOCAL_MAX_SIZE.validate(maxSize);
		}

	}

	/** The in-memory history: {@code ddprof.history.*}. */
	public record History(int maxWindows, long maxSize) {

		/** Checks the maximum number of windows and size. */
		public History {
			Settings.HISTORY_MAX_WINDOWS.validate(maxWindows);
			Settings.HISTORY_MAX_SIZE.validate(maxSize);
		}

	}

	/**
	 * The OTLP profiles export: {@code ddprof.otlp.*}. Header values (which often hold
	 * API keys) never appear in {@link #toString()}.
	 *
	 * @param enabled whether windows are sent to {@code endpoint}
	 * @param endpoint the full URL that requests are posted to
	 * @param headers extra request headers, such as an API key
	 * @param timeout the time allowed for connecting and for each request
	 * @param gzip whether requests are gzip-compressed
	 */
	public record Otlp(boolean enabled, URI endpoint, Map<String, String> headers, Duration timeout, boolean gzip) {

		/** The OpenTelemetry default: a Collector's OTLP/HTTP receiver on this host. */
		public static final String DEFAULT_BASE = "http://localhost:4318";

		/** The path of the profiles signal under an OTLP/HTTP base URL. */
		public static final String SIGNAL_PATH = "/v1development/profiles";

		/**
		 * Checks the endpoint, the header names and the timeout; keeps the headers' order
		 * and makes them unmodifiable.
		 * @throws InvalidSettingException naming the first key whose value is not allowed
		 */
		public Otlp {
			Settings.OTLP_ENDPOINT.validate((endpoint != null) ? endpoint.toString() : null);
			headers = Collections.unmodifiableMap(new LinkedHashMap<>((headers != null) ? headers : Map.of()));
			Settings.OTLP_HEADERS.validate(headers);
			Settings.OTLP_TIMEOUT.validate(timeout);
		}

		@Override
		public String toString() {
			return "Otlp[enabled=" + this.enabled + ", endpoint=" + this.endpoint + ", headers=" + this.headers.keySet()
					+ ", timeout=" + this.timeout + ", compression=" + (this.gzip ? "gzip" : "none") + "]";
		}

	}

	/**
	 * The Grafana Pyroscope export: {@code ddprof.pyroscope.*}. The password and token
	 * never appear in {@link #toString()}.
	 *
	 * @param enabled whether windows are pushed to {@code url}
	 * @param url the Pyroscope server (its push API is under it)
	 * @param tenantId the tenant sent as {@code X-Scope-OrgID}, or {@code null}
	 * @param basicAuthUsername the basic-auth user (Grafana Cloud: the stack's user id),
	 * or {@code null}
	 * @param basicAuthPassword the basic-auth password (Grafana Cloud: an access token),
	 * or {@code null}
	 * @param authToken a bearer token, used when no basic-auth user is set, or
	 * {@code null}
	 */
	public record Pyroscope(boolean enabled, URI url, @Nullable String tenantId, @Nullable String basicAuthUsername,
			@Nullable String basicAuthPassword, @Nullable String authToken) {

		/** Where a Pyroscope server listens by default. */
		public static final String DEFAULT_URL = "http://localhost:4040";

		/**
		 * Checks the URL, and that basic auth has both a user and a password.
		 * @throws InvalidSettingException naming the first key whose value is not allowed
		 */
		public Pyroscope {
			Settings.PYROSCOPE_URL.validate((url != null) ? url.toString() : null);
			if ((basicAuthUsername == null) != (basicAuthPassword == null)) {
				throw new InvalidSettingException(
						(basicAuthUsername == null) ? Settings.PYROSCOPE_BASIC_AUTH_USERNAME.key()
								: Settings.PYROSCOPE_BASIC_AUTH_PASSWORD.key(),
						"", "basic auth needs both ddprof.pyroscope.basic-auth.username and .password "
								+ "(PYROSCOPE_BASIC_AUTH_USER and PYROSCOPE_BASIC_AUTH_PASSWORD)");
			}
		}

		@Override
		public String toString() {
			return "Pyroscope[enabled=" + this.enabled + ", url=" + this.url + ", tenantId=" + this.tenantId
					+ ", basicAuthUsername=" + this.basicAuthUsername + ", basicAuthPassword="
					+ ((this.basicAuthPassword != null) ? "<redacted>" : "none") + ", authToken="
					+ ((this.authToken != null) ? "<redacted>" : "none") + "]";
		}

	}

	/**
	 * Mutable builder of {@link ProfilerSettings}; {@link #build()} validates every
	 * value.
	 */
	public static final class Builder {

		private boolean enabled = Settings.ENABLED.defaultValue();

		private String service = Settings.SERVICE.defaultValue();

		private @Nullable String env;

		private @Nullable String version;

		private final Map<String, String> tags = new LinkedHashMap<>();

		private Duration startDelay = Settings.START_DELAY.defaultValue();

		private EngineChoice engine = Settings.ENGINE.defaultValue();

		private boolean cpuEnabled = Settings.CPU_ENABLED.defaultValue();

		private Duration cpuInterval = Settings.CPU_INTERVAL.defaultValue();

		private boolean wallEnabled = Settings.WALL_ENABLED.defaultValue();

		private Duration wallInterval = Settings.WALL_INTERVAL.defaultValue();

		private boolean wallContextFilter = Settings.WALL_CONTEXT_FILTER.defaultValue();

		private int wallThreadsPerTick = Settings.WALL_THREADS_PER_TICK.defaultValue();

		private boolean allocEnabled = Settings.ALLOC_ENABLED.defaultValue();

		private @Nullable Long allocInterval = Settings.ALLOC_INTERVAL.defaultValue();

		private int allocSamplesPerSecond = Settings.ALLOC_SAMPLES_PER_SECOND.defaultValue();

		private boolean liveHeapEnabled = Settings.LIVE_HEAP_ENABLED.defaultValue();

		private boolean lockEnabled = Settings.LOCK_ENABLED.defaultValue();

		private Duration lockThreshold = Settings.LOCK_THRESHOLD.defaultValue();

		private int stackDepth = Settings.STACK_DEPTH.defaultValue();

		private boolean uploadEnabled = Settings.UPLOAD_ENABLED.defaultValue();

		private Duration uploadPeriod = Settings.UPLOAD_PERIOD.defaultValue();

		private Duration uploadTimeout = Settings.UPLOAD_TIMEOUT.defaultValue();

		private Compression compression = Settings.UPLOAD_COMPRESSION.defaultValue();

		private int queueSize = Settings.UPLOAD_QUEUE_SIZE.defaultValue();

		private @Nullable String agentUrl;

		private boolean agentless = Settings.AGENTLESS.defaultValue();

		private @Nullable String apiKey;

		private String site = Settings.SITE.defaultValue();

		private @Nullable Path localDirectory;

		private long localMaxSize = Settings.LOCAL_MAX_SIZE.defaultValue();

		private int historyMaxWindows = Settings.HISTORY_MAX_WINDOWS.defaultValue();

		private long historyMaxSize = Settings.HISTORY_MAX_SIZE.defaultValue();

		private @Nullable Path tempDirectory = Settings.TEMP_DIRECTORY.defaultValue();

		private @Nullable Boolean otlpEnabled;

		private @Nullable String otlpEndpoint;

		private final Map<String, String> otlpHeaders = new LinkedHashMap<>();

		private Duration otlpTimeout = Settings.OTLP_TIMEOUT.defaultValue();

		private boolean otlpGzip = PipelineVariables.parseGzip(Settings.OTLP_COMPRESSION.key(),
				Settings.OTLP_COMPRESSION.defaultValue());

		private @Nullable Boolean pyroscopeEnabled;

		private @Nullable String pyroscopeUrl;

		private @Nullable String pyroscopeTenantId;

		private @Nullable String pyroscopeUsername;

		private @Nullable String pyroscopePassword;

		private @Nullable String pyroscopeAuthToken;

		private List<IgnoredVariable> ignoredVariables = List.of();

		private Builder() {
		}

		private Builder(ProfilerSettings s) {
			this.enabled = s.enabled;
			this.service = s.service;
			this.env = s.env;
			this.version = s.version;
			this.tags.putAll(s.tags);
			this.startDelay = s.startDelay;
			this.engine = s.engine;
			this.cpuEnabled = s.cpu.enabled();
			this.cpuInterval = s.cpu.interval();
			this.wallEnabled = s.wall.enabled();
			this.wallInterval = s.wall.interval();
			this.wallContextFilter = s.wall.contextFilter();
			this.wallThreadsPerTick = s.wall.threadsPerTick();
			this.allocEnabled = s.alloc.enabled();
			this.allocInterval = s.alloc.interval();
			this.allocSamplesPerSecond = s.alloc.samplesPerSecond();
			this.liveHeapEnabled = s.liveHeapEnabled;
			this.lockEnabled = s.lock.enabled();
			this.lockThreshold = s.lock.threshold();
			this.stackDepth = s.stackDepth;
			this.uploadEnabled = s.upload.enabled();
			this.uploadPeriod = s.upload.period();
			this.uploadTimeout = s.upload.timeout();
			this.compression = s.upload.compression();
			this.queueSize = s.upload.queueSize();
			this.agentUrl = (s.agent.url() != null) ? s.agent.url().toString() : null;
			this.agentless = s.agent.agentless();
			this.apiKey = s.agent.apiKey();
			this.site = s.agent.site();
			this.localDirectory = s.local.directory();
			this.localMaxSize = s.local.maxSize();
			this.historyMaxWindows = s.history.maxWindows();
			this.historyMaxSize = s.history.maxSize();
			this.tempDirectory = s.tempDirectory;
			this.otlpEnabled = s.otlp.enabled();
			this.otlpEndpoint = s.otlp.endpoint().toString();
			this.otlpHeaders.putAll(s.otlp.headers());
			this.otlpTimeout = s.otlp.timeout();
			this.otlpGzip = s.otlp.gzip();
			this.pyroscopeEnabled = s.pyroscope.enabled();
			this.pyroscopeUrl = s.pyroscope.url().toString();
			this.pyroscopeTenantId = s.pyroscope.tenantId();
			this.pyroscopeUsername = s.pyroscope.basicAuthUsername();
			this.pyroscopePassword = s.pyroscope.basicAuthPassword();
			this.pyroscopeAuthToken = s.pyroscope.authToken();
			this.ignoredVariables = s.ignoredVariables;
		}

		/** {@code ddprof.enabled}. */
		public Builder enabled(boolean enabled) {
			this.enabled = enabled;
			return this;
		}

		/** {@code ddprof.service}; {@code null} keeps the current value. */
		public Builder service(@Nullable String service) {
			if (service != null) {
				this.service = service;
			}
			return this;
		}

		/** {@code ddprof.env}; {@code null} keeps the current value. */
		public Builder env(@Nullable String env) {
			if (env != null) {
				this.env = env;
			}
			return this;
		}

		/** {@code ddprof.version}; {@code null} keeps the current value. */
		public Builder version(@Nullable String version) {
			if (version != null) {
				this.version = version;
			}
			return this;
		}

		/**
		 * {@code ddprof.tags}, merged over the tags already set; {@code null} keeps them.
		 */
		public Builder tags(@Nullable Map<String, String> tags) {
			if (tags != null) {
				this.tags.putAll(tags);
			}
			return this;
		}

		/** {@code ddprof.start-delay}. */
		public Builder startDelay(Duration startDelay) {
			this.startDelay = startDelay;
			return this;
		}

		/** {@code ddprof.engine}. */
		public Builder engine(EngineChoice engine) {
			this.engine = engine;
			return this;
		}

		/** {@code ddprof.cpu.enabled}. */
		public Builder cpuEnabled(boolean enabled) {
			this.cpuEnabled = enabled;
			return this;
		}

		/** {@code ddprof.cpu.interval}. */
		public Builder cpuInterval(Duration interval) {
			this.cpuInterval = interval;
			return this;
		}

		/** {@code ddprof.wall.enabled}. */
		public Builder wallEnabled(boolean enabled) {
			this.wallEnabled = enabled;
			return this;
		}

		/** {@code ddprof.wall.interval}. */
		public Builder wallInterval(Duration interval) {
			this.wallInterval = interval;
			return this;
		}

		/** {@code ddprof.wall.context-filter}. */
		public Builder wallContextFilter(boolean contextFilter) {
			this.wallContextFilter = contextFilter;
			return this;
		}

		/** {@code ddprof.wall.threads-per-tick}. */
		public Builder wallThreadsPerTick(int threadsPerTick) {
			this.wallThreadsPerTick = threadsPerTick;
			return this;
		}

		/** {@code ddprof.alloc.enabled}. */
		public Builder allocEnabled(boolean enabled) {
			this.allocEnabled = enabled;
			return this;
		}

		/**
		 * {@code ddprof.alloc.interval} in bytes; {@code null} for the adaptive default.
		 */
		public Builder allocInterval(Long bytes) {
			this.allocInterval = bytes;
			return this;
		}

		/** {@code ddprof.alloc.samples-per-second}. */
		public Builder allocSamplesPerSecond(int samplesPerSecond) {
			this.allocSamplesPerSecond = samplesPerSecond;
			return this;
		}

		/** {@code ddprof.live-heap.enabled}. */
		public Builder liveHeapEnabled(boolean enabled) {
			this.liveHeapEnabled = enabled;
			return this;
		}

		/** {@code ddprof.lock.enabled}. */
		public Builder lockEnabled(boolean enabled) {
			this.lockEnabled = enabled;
			return this;
		}

		/** {@code ddprof.lock.threshold}. */
		public Builder lockThreshold(Duration threshold) {
			this.lockThreshold = threshold;
			return this;
		}

		/** {@code ddprof.stack-depth}. */
		public Builder stackDepth(int stackDepth) {
			this.stackDepth = stackDepth;
			return this;
		}

		/** {@code ddprof.upload.enabled}. */
		public Builder uploadEnabled(boolean enabled) {
			this.uploadEnabled = enabled;
			return this;
		}

		/** {@code ddprof.upload.period}: the length of a window. */
		public Builder uploadPeriod(Duration period) {
			this.uploadPeriod = period;
			return this;
		}

		/** {@code ddprof.upload.timeout}. */
		public Builder uploadTimeout(Duration timeout) {
			this.uploadTimeout = timeout;
			return this;
		}

		/** {@code ddprof.upload.compression}. */
		public Builder compression(Compression compression) {
			this.compression = compression;
			return this;
		}

		/** {@code ddprof.upload.queue-size}. */
		public Builder queueSize(int queueSize) {
			this.queueSize = queueSize;
			return this;
		}

		/**
		 * {@code ddprof.agent.url}, validated on {@link #build()}; {@code null} when not
		 * set.
		 */
		public Builder agentUrl(String url) {
			this.agentUrl = url;
			return this;
		}

		/** {@code ddprof.agentless}. */
		public Builder agentless(boolean agentless) {
			this.agentless = agentless;
			return this;
		}

		/** {@code ddprof.api-key}. */
		public Builder apiKey(String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/** {@code ddprof.site}. */
		public Builder site(String site) {
			this.site = site;
			return this;
		}

		/** {@code ddprof.local.directory}; {@code null} turns the local exporter off. */
		public Builder localDirectory(@Nullable Path directory) {
			this.localDirectory = directory;
			return this;
		}

		/** {@code ddprof.local.max-size} in bytes. */
		public Builder localMaxSize(long bytes) {
			this.localMaxSize = bytes;
			return this;
		}

		/** {@code ddprof.history.max-windows}. */
		public Builder historyMaxWindows(int maxWindows) {
			this.historyMaxWindows = maxWindows;
			return this;
		}

		/** {@code ddprof.history.max-size} in bytes. */
		public Builder historyMaxSize(long bytes) {
			this.historyMaxSize = bytes;
			return this;
		}

		/** {@code ddprof.temp-directory}. */
		public Builder tempDirectory(@Nullable Path directory) {
			this.tempDirectory = directory;
			return this;
		}

		/**
		 * {@code ddprof.otlp.enabled}; unset, the export is on when an endpoint is named.
		 */
		public Builder otlpEnabled(Boolean enabled) {
			this.otlpEnabled = enabled;
			return this;
		}

		/**
		 * {@code ddprof.otlp.endpoint}: the full URL of the profiles signal; a URL
		 * without a path gets {@code /v1development/profiles}.
		 */
		public Builder otlpEndpoint(String endpoint) {
			this.otlpEndpoint = endpoint;
			return this;
		}

		/** {@code ddprof.otlp.headers}, replacing those set before. */
		public Builder otlpHeaders(Map<String, String> headers) {
			this.otlpHeaders.clear();
			this.otlpHeaders.putAll(headers);
			return this;
		}

		/** {@code ddprof.otlp.timeout}. */
		public Builder otlpTimeout(Duration timeout) {
			this.otlpTimeout = timeout;
			return this;
		}

		/**
		 * {@code ddprof.otlp.compression}: {@code gzip} when true, {@code none} when
		 * false.
		 */
		public Builder otlpGzip(boolean gzip) {
			this.otlpGzip = gzip;
			return this;
		}

		/**
		 * {@code ddprof.pyroscope.enabled}; unset, the export is on when a URL is named.
		 */
		public Builder pyroscopeEnabled(Boolean enabled) {
			this.pyroscopeEnabled = enabled;
			return this;
		}

		/** {@code ddprof.pyroscope.url}. */
		public Builder pyroscopeUrl(String url) {
			this.pyroscopeUrl = url;
			return this;
		}

		/** {@code ddprof.pyroscope.tenant-id}. */
		public Builder pyroscopeTenantId(String tenantId) {
			this.pyroscopeTenantId = tenantId;
			return this;
		}

		/** {@code ddprof.pyroscope.basic-auth.username}. */
		public Builder pyroscopeBasicAuthUsername(String username) {
			this.pyroscopeUsername = username;
			return this;
		}

		/** {@code ddprof.pyroscope.basic-auth.password}. */
		public Builder pyroscopeBasicAuthPassword(String password) {
			this.pyroscopePassword = password;
			return this;
		}

		/** {@code ddprof.pyroscope.auth-token}. */
		public Builder pyroscopeAuthToken(String token) {
			this.pyroscopeAuthToken = token;
			return this;
		}

		/**
		 * The Datadog variables set aside while resolving (see {@link DatadogVariables}).
		 */
		public Builder ignoredVariables(List<IgnoredVariable> ignored) {
			this.ignoredVariables = List.copyOf(ignored);
			return this;
		}

		/**
		 * Builds the settings, checking every value in the order of docs/settings.md.
		 * @throws InvalidSettingException naming the first key whose value is not allowed
		 */
		public ProfilerSettings build() {
			String checkedService = Settings.SERVICE.validate(this.service).trim();
			Map<String, String> checkedTags = checkTags(this.tags);
			Settings.START_DELAY.validate(this.startDelay);
			Cpu cpu = new Cpu(this.cpuEnabled, this.cpuInterval);
			Wall wall = new Wall(this.wallEnabled, this.wallInterval, this.wallContextFilter, this.wallThreadsPerTick);
			Alloc alloc = new Alloc(this.allocEnabled, this.allocInterval, this.allocSamplesPerSecond);
			Lock lock = new Lock(this.lockEnabled, this.lockThreshold);
			Settings.STACK_DEPTH.validate(this.stackDepth);
			Upload upload = new Upload(this.uploadEnabled, this.uploadPeriod, this.uploadTimeout, this.compression,
					this.queueSize);
			Settings.ENGINE.validate(this.engine);
			Agent agent = new Agent(
					(this.agentUrl != null) ? SettingValues.parseUrl(Settings.AGENT_URL.key(), this.agentUrl) : null,
					this.agentless, blankToNull(this.apiKey), this.site);
			Local local = new Local(this.localDirectory, this.localMaxSize);
			History history = new History(this.historyMaxWindows, this.historyMaxSize);
			Settings.TEMP_DIRECTORY.validate(this.tempDirectory);
			return new ProfilerSettings(this.enabled, checkedService, blankToNull(this.env), blankToNull(this.version),
					checkedTags, this.startDelay, this.engine, cpu, wall, alloc, this.liveHeapEnabled, lock,
					this.stackDepth, upload, agent, local, history, this.tempDirectory, buildOtlp(), buildPyroscope(),
					this.ignoredVariables);
		}

		private Otlp buildOtlp() {
			String endpoint = blankToNull(this.otlpEndpoint);
			URI uri = URI.create(Settings.OTLP_ENDPOINT
				.validate((endpoint != null) ? endpoint : Otlp.DEFAULT_BASE + Otlp.SIGNAL_PATH)
				.trim());
			String path = uri.getRawPath();
			if (path == null || path.isEmpty() || path.equals("/")) {
				String base = uri.toString();
				uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + Otlp.SIGNAL_PATH);
			}
			boolean on = (this.otlpEnabled != null) ? this.otlpEnabled : endpoint != null;
			return new Otlp(on, uri, this.otlpHeaders, this.otlpTimeout, this.otlpGzip);
		}

		private Pyroscope buildPyroscope() {
			String url = blankToNull(this.pyroscopeUrl);
			URI uri = URI.create(Settings.PYROSCOPE_URL.validate((url != null) ? url : Pyroscope.DEFAULT_URL).trim());
			boolean on = (this.pyroscopeEnabled != null) ? this.pyroscopeEnabled : url != null;
			return new Pyroscope(on, uri, blankToNull(this.pyroscopeTenantId), blankToNull(this.pyroscopeUsername),
					blankToNull(this.pyroscopePassword), blankToNull(this.pyroscopeAuthToken));
		}

		private static @Nullable String blankToNull(@Nullable String text) {
			return (text == null || text.isBlank()) ? null : text.trim();
		}

	}

}
