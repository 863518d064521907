package io.ddprof.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Plain core's settings: precedence, Datadog variables, defaults, and the message of
 * every bad value.
 */
class SettingsResolverTests {

	private final Map<String, String> properties = new HashMap<>();

	private final Map<String, String> environment = new HashMap<>();

	@Test
	void defaultsAreThoseOfTheSettingsContract() {
		ProfilerSettings settings = resolve();
		assertThat(settings.enabled()).isTrue();
		assertThat(settings.service()).isEqualTo("unnamed-java-app");
		assertThat(settings.env()).isNull();
		assertThat(settings.engine()).isEqualTo(EngineChoice.AUTO);
		assertThat(settings.cpu().interval()).isEqualTo(Duration.ofMillis(10));
		assertThat(settings.wall().interval()).isEqualTo(Duration.ofMillis(50));
		assertThat(settings.wall().contextFilter()).isTrue();
		assertThat(settings.wall().threadsPerTick()).isEqualTo(16);
		assertThat(settings.alloc().interval()).isNull();
		assertThat(settings.alloc().samplesPerSecond()).isEqualTo(200);
		assertThat(settings.liveHeapEnabled()).isFalse();
		assertThat(settings.lock().threshold()).isEqualTo(Duration.ofMillis(10));
		assertThat(settings.stackDepth()).isEqualTo(512);
		assertThat(settings.upload().period()).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.upload().timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.upload().compression()).isEqualTo(Compression.ZSTD);
		assertThat(settings.upload().queueSize()).isEqualTo(4);
		// Not set: the agent is looked for at its default socket, then at
		// http://localhost:8126 (AgentLocator).
		assertThat(settings.agent().url()).isNull();
		assertThat(settings.agent().urlOrDefault()).isEqualTo(URI.create("http://localhost:8126"));
		assertThat(settings.agent().site()).isEqualTo("datadoghq.com");
		assertThat(settings.local().directory()).isNull();
		assertThat(settings.local().maxSize()).isEqualTo(256L << 20);
		assertThat(settings.history().maxWindows()).isEqualTo(15);
		assertThat(settings.history().maxSize()).isEqualTo(128L << 20);
	}

	@Test
	void systemPropertyWinsOverOwnVariableWhichWinsOverDatadogVariable() {
		this.environment.put("DD_SERVICE", "from-dd");
		assertThat(resolve().service()).isEqualTo("from-dd");
		this.environment.put("DDPROF_SERVICE", "from-ddprof-variable");
		assertThat(resolve().service()).isEqualTo("from-ddprof-variable");
		this.properties.put("ddprof.service", "from-property");
		assertThat(resolve().service()).isEqualTo("from-property");
	}

	@Test
	void datadogVariablesFeedTheirSettingsInTheirOwnUnits() {
		this.environment.put("DD_ENV", "prod");
		this.environment.put("DD_VERSION", "1.2.3");
		this.environment.put("DD_TAGS", "team:backend region:eu-west-1");
		this.environment.put("DD_PROFILING_TAGS", "region:us-east-1,tier:web");
		this.environment.put("DD_PROFILING_UPLOAD_PERIOD", "30");
		this.environment.put("DD_PROFILING_UPLOAD_TIMEOUT", "5");
		this.environment.put("DD_PROFILING_START_DELAY", "2");
		this.environment.put("DD_PROFILING_DDPROF_CPU_INTERVAL_MS", "20");
		this.environment.put("DD_PROFILING_DDPROF_WALL_INTERVAL_MS", "100");
		this.environment.put("DD_PROFILING_DDPROF_ALLOC_INTERVAL", "1048576");
		this.environment.put("DD_PROFILING_HEAP_ENABLED", "true");
		this.environment.put("DD_PROFILING_STACKDEPTH", "256");
		this.environment.put("DD_PROFILING_UPLOAD_COMPRESSION", "lz4");
		this.environment.put("DD_AGENT_HOST", "agent.internal");
		this.environment.put("DD_TRACE_AGENT_PORT", "9126");
		ProfilerSettings settings = resolve();
		assertThat(settings.env()).isEqualTo("prod");
		assertThat(settings.version()).isEqualTo("1.2.3");
		assertThat(settings.tags()).containsExactly(Map.entry("team", "backend"), Map.entry("region", "us-east-1"),
				Map.entry("tier", "web"));
		assertThat(settings.upload().period()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.upload().timeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.startDelay()).isEqualTo(Duration.ofSeconds(2));
		assertThat(settings.cpu().interval()).isEqualTo(Duration.ofMillis(20));
		assertThat(settings.wall().interval()).isEqualTo(Duration.ofMillis(100));
		assertThat(settings.alloc().interval()).isEqualTo(1048576L);
		assertThat(settings.liveHeapEnabled()).isTrue();
		assertThat(settings.stackDepth()).isEqualTo(256);
		assertThat(settings.upload().compression()).isEqualTo(Compression.LZ4);
		assertThat(settings.agent().url()).isEqualTo(URI.create("http://agent.internal:9126"));
	}

	@Test
	void traceAgentUrlWinsOverHostAndPort() {
		this.environment.put("DD_AGENT_HOST", "ignored");
		this.environment.put("DD_TRACE_AGENT_URL", "http://127.0.0.1:18126");
		assertThat(resolve().agent().url()).isEqualTo(URI.create("http://127.0.0.1:18126"));
		assertThat(resolve().agent().endpoint()).isEqualTo(URI.create("http://127.0.0.1:18126/profiling/v1/input"));
	}

	@Test
	void ownTagsMergeOverDatadogTagsKeyByKey() {
		this.environment.put("DD_TAGS", "team:backend,region:eu");
		this.properties.put("ddprof.tags", "team:payments,zone:a");
		assertThat(resolve().tags()).containsExactly(Map.entry("team", "payments"), Map.entry("region", "eu"),
				Map.entry("zone", "a"));
	}

	@Test
	void agentlessNeedsAnApiKeyAndNeverShowsIt() {
		this.properties.put("ddprof.agentless", "true");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::resolve)
			.withMessageContaining("ddprof.api-key")
			.withMessageContaining("DD_API_KEY");
		this.environment.put("DD_API_KEY", "secret-key-123");
		this.environment.put("DD_SITE", "datadoghq.eu");
		ProfilerSettings settings = resolve();
		assertThat(settings.agent().endpoint())
			.isEqualTo(URI.create("https://intake.profile.datadoghq.eu/api/v2/profile"));
		assertThat(settings.toString()).doesNotContain("secret-key-123");
	}

	@Test
	void datadogAgentlessWithoutAnApiKeyUploadsToTheAgentAndSaysSo() {
		this.environment.put("DD_PROFILING_AGENTLESS", "true");
		ProfilerSettings settings = resolve();
		assertThat(settings.agent().agentless()).isFalse();
		assertThat(settings.ignoredVariables()).singleElement().satisfies((ignored) -> {
			assertThat(ignored.variable()).isEqualTo("DD_PROFILING_AGENTLESS");
			assertThat(ignored.message()).contains("neither DD_API_KEY nor ddprof.api-key is set")
				.contains("using the Datadog agent");
		});
		// A key from either side makes it usable.
		this.properties.put("ddprof.api-key", "k1");
		assertThat(resolve().agent().agentless()).isTrue();
		assertThat(resolve().ignoredVariables()).isEmpty();
	}

	static Stream<Arguments> badValues() {
		return Stream.of(Arguments.of("ddprof.enabled", "maybe", "expected true or false"),
				Arguments.of("ddprof.start-delay", "soon", "expected a duration"),
				Arguments.of("ddprof.engine", "perf", "expected one of auto, async-profiler, jfr"),
				Arguments.of("ddprof.cpu.interval", "fast", "expected a duration"),
				Arguments.of("ddprof.cpu.interval", "0ms", "expected a positive duration"),
				Arguments.of("ddprof.cpu.interval", "-5ms", "expected a duration"),
				Arguments.of("ddprof.wall.interval", "0s", "expected a positive duration"),
				Arguments.of("ddprof.wall.threads-per-tick", "0", "expected a whole number from 1"),
				Arguments.of("ddprof.wall.threads-per-tick", "many", "expected a whole number"),
				Arguments.of("ddprof.alloc.interval", "0", "expected a positive size"),
				Arguments.of("ddprof.alloc.interval", "big", "expected a size"),
				Arguments.of("ddprof.alloc.samples-per-second", "0", "expected a whole number from 1"),
				Arguments.of("ddprof.lock.threshold", "0ms", "expected a positive duration"),
				Arguments.of("ddprof.stack-depth", "-1", "expected a whole number from 1"),
				Arguments.of("ddprof.upload.period", "0s", "expected a positive duration"),
				Arguments.of("ddprof.upload.period", "500ms", "at least 1s"),
				Arguments.of("ddprof.upload.timeout", "0s", "expected a positive duration"),
				Arguments.of("ddprof.upload.compression", "brotli", "expected one of zstd, lz4, gzip, off"),
				Arguments.of("ddprof.upload.queue-size", "0", "expected a whole number from 1"),
				Arguments.of("ddprof.agent.url", "ftp://agent:8126", "expected an http:// or https:// URL"),
				Arguments.of("ddprof.agent.url", "not a url", "expected an http:// or https:// URL"),
				Arguments.of("ddprof.site", "datadog hq", "expected a Datadog site host name"),
				Arguments.of("ddprof.local.max-size", "0", "expected a positive size"),
				Arguments.of("ddprof.history.max-windows", "-3", "expected a whole number from 0"),
				Arguments.of("ddprof.history.max-size", "lots", "expected a size"),
				Arguments.of("ddprof.tags", "team", "expected key:value pairs"),
				Arguments.of("ddprof.tags", "1team:x", "tag keys start with a letter"),
				Arguments.of("ddprof.service", " ", "expected a non-empty value"),
				// Huge durations overflow the nanoseconds the engines and the scheduler
				// count in.
				Arguments.of("ddprof.cpu.interval", "9999999999d", "at most 1d"),
				Arguments.of("ddprof.lock.threshold", "9999999999d", "at most 1d"),
				Arguments.of("ddprof.upload.period", "9999999999d", "at most 1d"),
				Arguments.of("ddprof.start-delay", "9999999999d", "at most 1d"),
				Arguments.of("ddprof.upload.timeout", "366d", "at most 1d"),
				Arguments.of("ddprof.agent.url", "http://agent:99999", "expected an http:// or https:// URL"),
				Arguments.of("ddprof.agent.url", "http://agent:0", "expected an http:// or https:// URL"));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("badValues")
	void badValueNamesKeyValueAndWhatIsAllowed(String key, String value, String allowed) {
		this.properties.put(key, value);
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::resolve).satisfies((ex) -> {
			assertThat(ex.getKey()).isEqualTo(key);
			assertThat(ex.getMessage()).contains(key).contains(allowed);
			assertThat(ex.getMessage()).contains(ex.getValue());
		});
	}

	@Test
	void datadogAutoMeansProfilingOn() {
		this.environment.put("DD_PROFILING_ENABLED", "auto");
		ProfilerSettings settings = resolve();
		assertThat(settings.enabled()).isTrue();
		assertThat(settings.ignoredVariables()).isEmpty();
	}

	@Test
	void datadogTagsAreReadAsDdTraceJavaReadsThem() {
		this.environment.put("DD_TAGS", "team,1zone:a,owner:John Smith,url:http://x:1");
		this.environment.put("DD_PROFILING_TAGS", "tier:web canary");
		ProfilerSettings settings = resolve();
		assertThat(settings.tags()).containsExactly(Map.entry("team", ""), Map.entry("1zone", "a"),
				Map.entry("owner", "John Smith"), Map.entry("url", "http://x:1"), Map.entry("tier", "web"),
				Map.entry("canary", ""));
		assertThat(settings.ignoredVariables()).isEmpty();
	}

	@Test
	void aDatadogTagWithoutAKeyIsLeftOutAndSaid() {
		this.environment.put("DD_TAGS", "team:backend,:orphan");
		ProfilerSettings settings = resolve();
		assertThat(settings.tags()).containsExactly(Map.entry("team", "backend"));
		assertThat(settings.ignoredVariables()).singleElement()
			.satisfies((ignored) -> assertThat(ignored.message()).startsWith("DD_TAGS=':orphan' cannot be used"));
	}

	@Test
	void ownTagsStillFailFastWhereDatadogTagsDoNot() {
		this.properties.put("ddprof.tags", "owner:John Smith,team:backend");
		assertThat(resolve().tags()).containsExactly(Map.entry("owner", "John Smith"), Map.entry("team", "backend"));
		this.properties.put("ddprof.tags", "team");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::resolve);
	}

	static Stream<Arguments> badDatadogValues() {
		return Stream.of(Arguments.of("DD_PROFILING_ENABLED", "maybe", "ddprof.enabled (true)"),
				Arguments.of("DD_PROFILING_START_DELAY", "soon", "ddprof.start-delay (0s)"),
				Arguments.of("DD_PROFILING_DDPROF_CPU_INTERVAL_MS", "0", "ddprof.cpu.interval (10ms)"),
				Arguments.of("DD_PROFILING_DDPROF_WALL_INTERVAL_MS", "-5", "ddprof.wall.interval (50ms)"),
				Arguments.of("DD_PROFILING_DDPROF_ALLOC_INTERVAL", "lots", "ddprof.alloc.interval (the adaptive"),
				Arguments.of("DD_PROFILING_HEAP_ENABLED", "perhaps", "ddprof.live-heap.enabled (false)"),
				Arguments.of("DD_PROFILING_STACKDEPTH", "deep", "ddprof.stack-depth (512)"),
				Arguments.of("DD_PROFILING_UPLOAD_PERIOD", "0", "ddprof.upload.period (60s)"),
				Arguments.of("DD_PROFILING_UPLOAD_TIMEOUT", "later", "ddprof.upload.timeout (30s)"),
				Arguments.of("DD_PROFILING_UPLOAD_COMPRESSION", "brotli", "ddprof.upload.compression (zstd)"),
				Arguments.of("DD_PROFILING_AGENTLESS", "sometimes", "ddprof.agentless (false)"),
				Arguments.of("DD_SITE", "datadog hq", "ddprof.site (datadoghq.com)"),
				Arguments.of("DD_TRACE_AGENT_URL", "ftp://agent:8126", "ddprof.agent.url (http://localhost:8126)"),
				Arguments.of("DD_AGENT_HOST", "bad host", "ddprof.agent.url (http://localhost:8126)"),
				Arguments.of("DD_TRACE_AGENT_PORT", "99999", "ddprof.agent.url (http://localhost:8126)"));
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("badDatadogValues")
	void aDatadogValueThatCannotBeUsedIsSetAsideNeverStoppingStartUp(String variable, String value,
			String usedInstead) {
		this.environment.put(variable, value);
		this.environment.put("DD_SERVICE", "orders");
		ProfilerSettings settings = resolve();
		assertThat(settings.service()).isEqualTo("orders");
		assertThat(settings.ignoredVariables()).singleElement().satisfies((ignored) -> {
			assertThat(ignored.variable()).isEqualTo(variable);
			assertThat(ignored.value()).isEqualTo(value);
			assertThat(ignored.message()).startsWith(variable + "='" + value + "' cannot be used (")
				.contains("using the default of " + usedInstead);
		});
	}

	@Test
	void anIgnoredAgentUrlShowsNoCredentials() {
		this.environment.put("DD_TRACE_AGENT_URL", "http://user:s3cret@agent host:8126");
		ProfilerSettings settings = resolve();
		// Left unset, so that the agent is looked for as with no variable at all (socket,
		// else localhost:8126).
		assertThat(settings.agent().url()).isNull();
		assertThat(settings.agent().urlOrDefault()).isEqualTo(URI.create("http://localhost:8126"));
		assertThat(settings.ignoredVariables()).singleElement()
			.satisfies((ignored) -> assertThat(ignored.value()).isEqualTo("http://<redacted>@agent host:8126"));
		assertThat(settings.ignoredVariables().toString()).doesNotContain("s3cret");
	}

	@Test
	void ownValueThatDoesNotParseStillFailsFast() {
		this.environment.put("DDPROF_UPLOAD_PERIOD", "soon");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::resolve)
			.withMessageStartingWith("Invalid value 'soon' for ddprof.upload.period");
	}

	private ProfilerSettings resolve() {
		return new SettingsResolver(this.properties::get, this.environment::get).resolve().build();
	}

}
