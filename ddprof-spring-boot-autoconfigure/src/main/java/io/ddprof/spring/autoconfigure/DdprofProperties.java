package io.ddprof.spring.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.ddprof.config.Compression;
import io.ddprof.config.EngineChoice;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration properties of ddprof: every {@code ddprof.*} key of docs/settings.md. The
 * Datadog variables ({@code DD_SERVICE}, {@code DD_TAGS}, ...) reach these keys through a
 * property source of lowest priority, so any {@code ddprof.*} source wins over them. Each
 * key is defined in {@link io.ddprof.config.Settings}; the fields repeat its default (and
 * the unit of a bare number) as literals because the metadata processor reads them from
 * here, and {@code DdprofPropertiesTests} holds the two to the same keys, defaults, units
 * and values. {@link DdprofAutoConfiguration} maps them onto
 * {@link io.ddprof.config.ProfilerSettings}.
 */
@ConfigurationProperties("ddprof")
public class DdprofProperties {

	/**
	 * Whether to profile the application. DD_PROFILING_ENABLED sets it when no
	 * ddprof.enabled is given.
	 */
	private boolean enabled = true;

	/**
	 * Service name on every profile. Falls back to DD_SERVICE, then
	 * spring.application.name, then 'unnamed-java-app'.
	 */
	private @Nullable String service;

	/** Deployment environment on every profile, such as 'prod'. Falls back to DD_ENV. */
	private @Nullable String env;

	/** Application version on every profile. Falls back to DD_VERSION. */
	private @Nullable String version;

	/**
	 * Extra tags on every profile. Merged over DD_TAGS and DD_PROFILING_TAGS, key by key.
	 */
	private Map<String, String> tags = new LinkedHashMap<>();

	/**
	 * Delay between application start and the first recording. A bare number is seconds
	 * (DD_PROFILING_START_DELAY).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration startDelay = Duration.ofSeconds(0);

	/**
	 * Sampling engine: async-profiler where its native library loads and JFR otherwise
	 * ('auto'), or only one of them.
	 */
	private EngineChoice engine = EngineChoice.AUTO;

	private final Cpu cpu = new Cpu();

	private final Wall wall = new Wall();

	private final Alloc alloc = new Alloc();

	private final LiveHeap liveHeap = new LiveHeap();

	private final Lock lock = new Lock();

	/** Maximum number of frames kept per stack. Falls back to DD_PROFILING_STACKDEPTH. */
	private int stackDepth = 512;

	private final Upload upload = new Upload();

	private final Agent agent = new Agent();

	/**
	 * Whether to send profiles straight to Datadog's intake instead of the agent (needs
	 * an API key). Falls back to DD_PROFILING_AGENTLESS.
	 */
	private boolean agentless = false;

	/**
	 * Datadog API key for agentless upload. Never logged nor shown in status. Falls back
	 * to DD_API_KEY.
	 */
	private @Nullable String apiKey;

	/**
	 * Datadog site that agentless uploads go to, such as 'datadoghq.eu'. Falls back to
	 * DD_SITE.
	 */
	private String site = "datadoghq.com";

	private final Local local = new Local();

	private final History history = new History();

	/**
	 * Directory for windows being recorded and waiting uploads. Defaults to
	 * java.io.tmpdir; falls back to DD_PROFILING_TEMPDIR.
	 */
	private @Nullable Path tempDirectory;

	private final Otlp otlp = new Otlp();

	private final Pyroscope pyroscope = new Pyroscope();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getService() {
		return this.service;
	}

	public void setService(@Nullable String service) {
		this.service = service;
	}

	public @Nullable String getEnv() {
		return this.env;
	}

	public void setEnv(@Nullable String env) {
		this.env = env;
	}

	public @Nullable String getVersion() {
		return this.version;
	}

	public void setVersion(@Nullable String version) {
		this.version = version;
	}

	public Map<String, String> getTags() {
		return this.tags;
	}

	public void setTags(Map<String, String> tags) {
		this.tags = tags;
	}

	public Duration getStartDelay() {
		return this.startDelay;
	}

	public void setStartDelay(Duration startDelay) {
		this.startDelay = startDelay;
	}

	public EngineChoice getEngine() {
		return this.engine;
	}

	public void setEngine(EngineChoice engine) {
		this.engine = engine;
	}

	public Cpu getCpu() {
		return this.cpu;
	}

	public Wall getWall() {
		return this.wall;
	}

	public Alloc getAlloc() {
		return this.alloc;
	}

	public LiveHeap getLiveHeap() {
		return this.liveHeap;
	}

	public Lock getLock() {
		return this.lock;
	}

	public int getStackDepth() {
		return this.stackDepth;
	}

	public void setStackDepth(int stackDepth) {
		this.stackDepth = stackDepth;
	}

	public Upload getUpload() {
		return this.upload;
	}

	public Agent getAgent() {
		return this.agent;
	}

	public boolean isAgentless() {
		return this.agentless;
	}

	public void setAgentless(boolean agentless) {
		this.agentless = agentless;
	}

	public @Nullable String getApiKey() {
		return this.apiKey;
	}

	public void setApiKey(@Nullable String apiKey) {
		this.apiKey = apiKey;
	}

	public String getSite() {
		return this.site;
	}

	public void setSite(String site) {
		this.site = site;
	}

	public Local getLocal() {
		return this.local;
	}

	public History getHistory() {
		return this.history;
	}

	public @Nullable Path getTempDirectory() {
		return this.tempDirectory;
	}

	public void setTempDirectory(@Nullable Path tempDirectory) {
		this.tempDirectory = tempDirectory;
	}

	public Otlp getOtlp() {
		return this.otlp;
	}

	public Pyroscope getPyroscope() {
		return this.pyroscope;
	}

	/** CPU sampling: {@code ddprof.cpu.*}. */
	public static final class Cpu {

		/** Whether to sample threads running on a CPU. */
		private boolean enabled = true;

		/**
		 * CPU time between samples of a thread. Falls back to
		 * DD_PROFILING_DDPROF_CPU_INTERVAL_MS.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration interval = Duration.ofMillis(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	/** Wall-clock sampling: {@code ddprof.wall.*}. */
	public static final class Wall {

		/**
		 * Whether to sample threads whatever their state, running, waiting or blocked.
		 */
		private boolean enabled = true;

		/**
		 * Wall-clock time between samples. Falls back to
		 * DD_PROFILING_DDPROF_WALL_INTERVAL_MS.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration interval = Duration.ofMillis(50);

		/**
		 * Whether to wall-sample only threads that hold a span, where a tracer is wired
		 * in (without one, every thread is eligible).
		 */
		private boolean contextFilter = true;

		/** Maximum number of threads sampled per wall-clock tick. */
		private int threadsPerTick = 16;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public boolean isContextFilter() {
			return this.contextFilter;
		}

		public void setContextFilter(boolean contextFilter) {
			this.contextFilter = contextFilter;
		}

		public int getThreadsPerTick() {
			return this.threadsPerTick;
		}

		public void setThreadsPerTick(int threadsPerTick) {
			this.threadsPerTick = threadsPerTick;
		}

	}

	/** Allocation sampling: {@code ddprof.alloc.*}. */
	public static final class Alloc {

		/** Whether to sample allocations. */
		private boolean enabled = true;

		/**
		 * Fixed number of bytes between allocation samples. Unset: adaptive, re-chosen
		 * each window to keep about samples-per-second. Falls back to
		 * DD_PROFILING_DDPROF_ALLOC_INTERVAL.
		 */
		@DataSizeUnit(DataUnit.BYTES)
		private @Nullable DataSize interval;

		/** Allocation samples per second that the adaptive interval aims at. */
		private int samplesPerSecond = 200;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable DataSize getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable DataSize interval) {
			this.interval = interval;
		}

		public int getSamplesPerSecond() {
			return this.samplesPerSecond;
		}

		public void setSamplesPerSecond(int samplesPerSecond) {
			this.samplesPerSecond = samplesPerSecond;
		}

	}

	/** Live-heap (leak) tracking: {@code ddprof.live-heap.*}. */
	public static final class LiveHeap {

		/**
		 * Whether to track which sampled allocations are still live (leak profiling); off
		 * until its cost fits the overhead budget. Falls back to
		 * DD_PROFILING_HEAP_ENABLED.
		 */
		private boolean enabled = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** Lock-contention sampling: {@code ddprof.lock.*}. */
	public static final class Lock {

		/** Whether to sample contended monitors and locks. */
		private boolean enabled = true;

		/** Contention time between lock samples. */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration threshold = Duration.ofMillis(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getThreshold() {
			return this.threshold;
		}

		public void setThreshold(Duration threshold) {
			this.threshold = threshold;
		}

	}

	/** Windows and their upload: {@code ddprof.upload.*}. */
	public static final class Upload {

		/** Whether to upload profiles to the Datadog agent or intake. */
		private boolean enabled = true;

		/**
		 * Length of a profile window; a bare number is seconds. Falls back to
		 * DD_PROFILING_UPLOAD_PERIOD.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration period = Duration.ofSeconds(60);

		/**
		 * Timeout of one upload (connect, read and write); a bare number is seconds.
		 * Falls back to DD_PROFILING_UPLOAD_TIMEOUT.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Compression of the uploaded JFR. Falls back to DD_PROFILING_UPLOAD_COMPRESSION.
		 */
		private Compression compression = Compression.ZSTD;

		/**
		 * Maximum number of windows waiting for upload; the oldest is dropped when full.
		 */
		private int queueSize = 4;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Compression getCompression() {
			return this.compression;
		}

		public void setCompression(Compression compression) {
			this.compression = compression;
		}

		public int getQueueSize() {
			return this.queueSize;
		}

		public void setQueueSize(int queueSize) {
			this.queueSize = queueSize;
		}

	}

	/** The Datadog agent: {@code ddprof.agent.*}. */
	public static final class Agent {

		/**
		 * URL of the Datadog agent: http(s)://host:port, or unix:///path/to/apm.socket
		 * for its Unix domain socket. Falls back to DD_TRACE_AGENT_URL, else
		 * http://DD_AGENT_HOST:DD_TRACE_AGENT_PORT. When none is set, the agent's socket
		 * /var/run/datadog/apm.socket if it exists, else http://localhost:8126.
		 */
		private @Nullable URI url;

		public @Nullable URI getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable URI url) {
			this.url = url;
		}

	}

	/** The local directory exporter: {@code ddprof.local.*}. */
	public static final class Local {

		/** Directory that receives every window as a JFR file. Unset: no local copies. */
		private @Nullable Path directory;

		/**
		 * Maximum total size of the local directory; the oldest windows are deleted
		 * first.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(256);

		public @Nullable Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

	}

	/** The in-memory history of recent windows: {@code ddprof.history.*}. */
	public static final class History {

		/** Maximum number of recent windows kept for the actuator endpoint. */
		private int maxWindows = 15;

		/** Maximum total size of the recent windows kept. */
		private DataSize maxSize = DataSize.ofMegabytes(128);

		public int getMaxWindows() {
			return this.maxWindows;
		}

		public void setMaxWindows(int maxWindows) {
			this.maxWindows = maxWindows;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

	}

	/** The OTLP profiles export to an OpenTelemetry Collector: {@code ddprof.otlp.*}. */
	public static final class Otlp {

		/**
		 * Whether to send each window to the OTLP endpoint. Unset, the export is on when
		 * an endpoint is named (ddprof.otlp.endpoint or
		 * OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT).
		 */
		private @Nullable Boolean enabled;

		/**
		 * URL that OTLP/HTTP profiles requests are posted to; a URL without a path gets
		 * '/v1development/profiles'. Falls back to OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT,
		 * then OTEL_EXPORTER_OTLP_ENDPOINT (which alone does not turn the export on),
		 * then the tracing OTLP endpoint of management.opentelemetry, then
		 * http://localhost:4318/v1development/profiles.
		 */
		private @Nullable String endpoint;

		/**
		 * Headers of every OTLP request, such as an API key. Values never shown in status
		 * or logs. Falls back to OTEL_EXPORTER_OTLP_PROFILES_HEADERS,
		 * OTEL_EXPORTER_OTLP_HEADERS, then the tracing OTLP headers.
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Time allowed for connecting and for each OTLP request; a bare number is
		 * milliseconds. Falls back to OTEL_EXPORTER_OTLP_PROFILES_TIMEOUT,
		 * OTEL_EXPORTER_OTLP_TIMEOUT (milliseconds), then the tracing OTLP timeout.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration timeout = Duration.ofSeconds(10);

		/**
		 * Compression of OTLP requests: 'gzip' or 'none'. Falls back to
		 * OTEL_EXPORTER_OTLP_PROFILES_COMPRESSION, OTEL_EXPORTER_OTLP_COMPRESSION, then
		 * the tracing OTLP compression.
		 */
		private String compression = "gzip";

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(@Nullable String endpoint) {
			this.endpoint = endpoint;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public String getCompression() {
			return this.compression;
		}

		public void setCompression(String compression) {
			this.compression = compression;
		}

	}

	/** The Grafana Pyroscope export: {@code ddprof.pyroscope.*}. */
	public static final class Pyroscope {

		/**
		 * Whether to push each window to Pyroscope. Unset, the export is on when a URL is
		 * named (ddprof.pyroscope.url or PYROSCOPE_SERVER_ADDRESS).
		 */
		private @Nullable Boolean enabled;

		/**
		 * URL of the Pyroscope server, such as http://pyroscope:4040 or a Grafana Cloud
		 * profiles URL. Falls back to PYROSCOPE_SERVER_ADDRESS, then
		 * http://localhost:4040.
		 */
		private @Nullable String url;

		/**
		 * Tenant sent as X-Scope-OrgID to a multi-tenant Pyroscope. Falls back to
		 * PYROSCOPE_TENANT_ID.
		 */
		private @Nullable String tenantId;

		/**
		 * Bearer token for Pyroscope, used when no basic-auth user is set. Never logged
		 * nor shown in status. Falls back to PYROSCOPE_AUTH_TOKEN.
		 */
		private @Nullable String authToken;

		private final BasicAuth basicAuth = new BasicAuth();

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getTenantId() {
			return this.tenantId;
		}

		public void setTenantId(@Nullable String tenantId) {
			this.tenantId = tenantId;
		}

		public @Nullable String getAuthToken() {
			return this.authToken;
		}

		public void setAuthToken(@Nullable String authToken) {
			this.authToken = authToken;
		}

		public BasicAuth getBasicAuth() {
			return this.basicAuth;
		}

		/** Basic authentication to Pyroscope: {@code ddprof.pyroscope.basic-auth.*}. */
		public static final class BasicAuth {

			/**
			 * Basic-auth user (Grafana Cloud: the stack's user id). Falls back to
			 * PYROSCOPE_BASIC_AUTH_USER.
			 */
			private @Nullable String username;

			/**
			 * Basic-auth password (Grafana Cloud: an access token). Never logged nor
			 * shown in status. Falls back to PYROSCOPE_BASIC_AUTH_PASSWORD.
			 */
			private @Nullable String password;

			public @Nullable String getUsername() {
				return this.username;
			}

			public void setUsername(@Nullable String username) {
				this.username = username;
			}

			public @Nullable String getPassword() {
				return this.password;
			}

			public void setPassword(@Nullable String password) {
				this.password = password;
			}

		}

	}

}
