package io.ddprof.sample.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.ddprof.Profiler;
import io.ddprof.sample.PackagedSample;
import io.ddprof.sample.SampleApplication;
import io.ddprof.testing.JavaProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Malformed settings, from a table: each one must stop the sample's start-up with Spring
 * Boot's failure analysis naming the property, the value as written and what is allowed,
 * and must crash nothing else: a healthy, profiled instance of the sample runs in the
 * same JVM the whole time and keeps answering, and the failed starts leave no thread
 * behind. {@code ddprof.*} settings are given as command-line arguments to an in-process
 * {@code SpringApplication}. Datadog variables ({@code DD_*}) are the exception:
 * Datadog's tooling writes them, so a value ddprof cannot use must not stop the packaged
 * sample, started as a process with them.
 */
@Tag("fault")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadSettingsIT {

	private static final String DURATION = "expected a duration such as 10ms, 60s or PT1M";

	private static final String POSITIVE_DURATION = "expected a positive duration such as 10ms or 60s";

	private static final String BOOLEAN = "expected true or false";

	private static final String WHOLE_NUMBER = "expected a whole number";

	private static final String SIZE = "expected a size such as 256KB or 128MB";

	private static final String POSITIVE_SIZE = "expected a positive size such as 256MB";

	private static final String URL = "expected an http:// or https:// URL with a host";

	/**
	 * Threads the failed starts may leave at most (none is expected; a JDK-internal one
	 * may come and go).
	 */
	private static final int THREAD_SLACK = 2;

	@TempDir
	static Path temp;

	private ConfigurableApplicationContext healthy;

	private URI healthyBase;

	private List<String> threadsBefore;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	static Stream<BadSetting> settings() {
		return Stream.of(
				// Every key of docs/settings.md with a value of the wrong type, negative,
				// zero, huge, empty or garbage.
				bad("ddprof.enabled", "maybe", BOOLEAN),
				bad("ddprof.tags.1team", "backend", "ddprof.tags", "1team", "tag keys start with a letter"),
				bad("ddprof.start-delay", "-5s", "expected a duration of 0s or more"),
				bad("ddprof.start-delay", "soon", DURATION),
				bad("ddprof.engine", "turbo", "expected one of auto, async-profiler, jfr"),
				bad("ddprof.cpu.enabled", "2", BOOLEAN), bad("ddprof.cpu.interval", "0", POSITIVE_DURATION),
				bad("ddprof.cpu.interval", "-10ms", POSITIVE_DURATION), bad("ddprof.cpu.interval", "fast", DURATION),
				bad("ddprof.cpu.interval", "9999999999d", "expected a duration of at most 1d"),
				bad("ddprof.wall.enabled", "perhaps", BOOLEAN), bad("ddprof.wall.interval", "0ms", POSITIVE_DURATION),
				bad("ddprof.wall.context-filter", "sometimes", BOOLEAN),
				bad("ddprof.wall.threads-per-tick", "0", "expected a whole number from 1 to 1024"),
				bad("ddprof.wall.threads-per-tick", "100000", "expected a whole number from 1 to 1024"),
				bad("ddprof.wall.threads-per-tick", "many", WHOLE_NUMBER), bad("ddprof.alloc.enabled", "nope", BOOLEAN),
				bad("ddprof.alloc.interval", "-1KB", "expected a positive size such as 256KB"),
				bad("ddprof.alloc.interval", "0", "expected a positive size such as 256KB"),
				bad("ddprof.alloc.interval", "lots", SIZE),
				bad("ddprof.alloc.samples-per-second", "0", "expected a whole number from 1 to 100000"),
				bad("ddprof.alloc.samples-per-second", "10000000", "expected a whole number from 1 to 100000"),
				bad("ddprof.live-heap.enabled", "2", BOOLEAN), bad("ddprof.lock.enabled", "x", BOOLEAN),
				bad("ddprof.lock.threshold", "-1ms", POSITIVE_DURATION),
				bad("ddprof.stack-depth", "0", "expected a whole number from 1 to 4096"),
				bad("ddprof.stack-depth", "100000", "expected a whole number from 1 to 4096"),
				bad("ddprof.stack-depth", "deep", WHOLE_NUMBER), bad("ddprof.upload.enabled", "absolutely", BOOLEAN),
				bad("ddprof.upload.period", "0s", POSITIVE_DURATION),
				bad("ddprof.upload.period", "500ms", "at least 1s"),
				bad("ddprof.upload.period", "-60s", POSITIVE_DURATION),
				bad("ddprof.upload.period", "9999999999d", "expected a duration of at most 1d"),
				bad("ddprof.upload.timeout", "0", POSITIVE_DURATION), bad("ddprof.upload.timeout", "forever", DURATION),
				bad("ddprof.upload.compression", "brotli", "expected one of zstd, lz4, gzip, off"),
				bad("ddprof.upload.queue-size", "0", "expected a whole number from 1 to 1000"),
				bad("ddprof.upload.queue-size", "1000000", "expected a whole number from 1 to 1000"),
				bad("ddprof.agent.url", "ftp://agent:8126", URL), bad("ddprof.agent.url", "http://", URL),
				bad("ddprof.agent.url", "localhost:8126", URL), bad("ddprof.agent.url", "not a url", URL),
				bad("ddprof.agent.url", "javascript:alert(1)", URL), bad("ddprof.agent.url", "http://agent:99999", URL),
				bad("ddprof.agentless", "maybe", BOOLEAN),
				new BadSetting(List.of("--ddprof.agentless=true"), "ddprof.api-key", "",
						"an API key is required when ddprof.agentless=true"),
				bad("ddprof.site", "datadoghq.com/evil", "expected a Datadog site host name"),
				bad("ddprof.site", "", "expected a non-empty value"), bad("ddprof.local.max-size", "0", POSITIVE_SIZE),
				bad("ddprof.local.max-size", "-1MB", POSITIVE_SIZE), bad("ddprof.local.max-size", "big", SIZE),
				bad("ddprof.history.max-windows", "-1", "expected a whole number from 0 to 10000"),
				bad("ddprof.history.max-windows", "1000000", "expected a whole number from 0 to 10000"),
				bad("ddprof.history.max-size", "0", POSITIVE_SIZE));
	}

	private static BadSetting bad(String key, String value, String allowed) {
		return bad(key, value, key, value, allowed);
	}

	private static BadSetting bad(String key, String value, String reportedKey, String reportedValue, String allowed) {
		return new BadSetting(List.of("--" + key + "=" + value), reportedKey, reportedValue, allowed);
	}

	@BeforeAll
	void startAHealthyInstance() throws Exception {
		this.healthy = new SpringApplication(SampleApplication.class)
			.run(arguments(true, List.of("--ddprof.upload.period=5s")).toArray(String[]::new));
		this.healthyBase = URI
			.create("http://127.0.0.1:" + ((WebServerApplicationContext) this.healthy).getWebServer().getPort());
		assertThat(get("/cpu?millis=5")).isEqualTo(200);
		this.threadsBefore = liveThreads();
	}

	@AfterAll
	void stopTheHealthyInstance() {
		if (this.healthy != null) {
			this.healthy.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("settings")
	@Order(1)
	@ExtendWith(OutputCaptureExtension.class)
	void startUpFailsWithAClearMessageAndNothingElseCrashes(BadSetting setting, CapturedOutput output)
			throws Exception {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		assertThatException().as(setting.toString())
			.isThrownBy(() -> application.run(arguments(true, setting.arguments()).toArray(String[]::new)));
		String text = output.toString();
		assertThat(text).as(setting.toString())
			.contains("APPLICATION FAILED TO START")
			.contains("Property: " + setting.key())
			.contains("Value: \"" + setting.value() + "\"")
			.contains("Allowed: ")
			.contains(setting.allowed())
			.contains("Action:");
		assertThat(text).as("no stack trace in the failure analysis").doesNotContain("\tat io.ddprof");
		assertThat(get("/cpu?millis=5")).as("the healthy instance still answers").isEqualTo(200);
		assertThat(this.healthy.getBean(Profiler.class).isRunning()).as("its profiler still runs").isTrue();
	}

	/**
	 * Datadog's tooling writes {@code DD_*} variables for the user (admission controller,
	 * single-step install): the packaged sample starts with every one of them, says once
	 * per variable what it cannot use and what it uses instead, shows it in status, and
	 * shows no credential anywhere.
	 */
	@Test
	@Order(2)
	void datadogVariablesItCannotUseNeverStopTheService() throws Exception {
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("DD_PROFILING_ENABLED", "auto");
		variables.put("DD_TAGS", "team,1zone:a,owner:John Smith");
		variables.put("DD_PROFILING_TAGS", "env=prod");
		variables.put("DD_PROFILING_UPLOAD_TIMEOUT", "abc");
		variables.put("DD_PROFILING_DDPROF_CPU_INTERVAL_MS", "-5");
		variables.put("DD_PROFILING_HEAP_ENABLED", "perhaps");
		variables.put("DD_TRACE_AGENT_URL", "http://user:s3cret-pass@agent host:8126");
		Path log = PackagedSample.reportDirectory().resolve("bad-setting-datadog-variables.log");
		try (JavaProcess app = PackagedSample.startWithProbe(List.of(), arguments(false, List.of()), variables, log)) {
			app.awaitHealthy();
			JsonNode status = app.get("/actuator/profiler");
			assertThat(status.get("state").asString()).isEqualTo("RUNNING");
			assertThat(status.get("tags").properties()).extracting(Map.Entry::getKey)
				.contains("team", "1zone", "owner", "env=prod");
			assertThat(status.get("tags").get("owner").asString()).isEqualTo("John Smith");
			assertThat(status.get("ignoredVariables").findValuesAsString("variable")).containsExactly(
					"DD_PROFILING_DDPROF_CPU_INTERVAL_MS", "DD_PROFILING_HEAP_ENABLED", "DD_PROFILING_UPLOAD_TIMEOUT",
					"DD_TRACE_AGENT_URL");
			for (String variable : List.of("DD_PROFILING_DDPROF_CPU_INTERVAL_MS", "DD_PROFILING_HEAP_ENABLED",
					"DD_PROFILING_UPLOAD_TIMEOUT", "DD_TRACE_AGENT_URL")) {
				assertThat(app.logLines().stream().filter((line) -> line.contains(variable + "='"))).as(variable)
					.singleElement()
					.asString()
					.contains("WARN")
					.contains("using the default of");
			}
			assertThat(String.join("\n", app.logLines())).doesNotContain("s3cret-pass");
			assertThat(status.toString()).doesNotContain("s3cret-pass").contains("http://<redacted>@agent host:8126");
		}
	}

	@Test
	@Order(3)
	void theFailedStartsLeftNoThreadBehind() throws Exception {
		System.gc();
		Thread.sleep(500);
		List<String> after = liveThreads();
		List<String> added = new ArrayList<>(after);
		this.threadsBefore.forEach(added::remove);
		assertThat(after.size()).as("live threads; new ones: %s", added)
			.isLessThanOrEqualTo(this.threadsBefore.size() + THREAD_SLACK);
		assertThat(get("/cpu?millis=5")).isEqualTo(200);
	}

	/**
	 * What every start gets (no upload, its own directories, any free port in process),
	 * with {@code extra} replacing a default of the same key: Spring would join two
	 * values with a comma.
	 */
	private static List<String> arguments(boolean inProcess, List<String> extra) throws Exception {
		Path directory = Files.createTempDirectory(temp, "start-");
		Map<String, String> arguments = new LinkedHashMap<>();
		if (inProcess) {
			arguments.put("server.port", "0");
		}
		arguments.put("ddprof.upload.enabled", "false");
		arguments.put("ddprof.local.directory", directory.resolve("profiles").toString());
		arguments.put("ddprof.temp-directory", directory.resolve("work").toString());
		for (String argument : extra) {
			String[] keyValue = argument.substring(2).split("=", 2);
			arguments.put(keyValue[0], keyValue[1]);
		}
		return arguments.entrySet().stream().map((entry) -> "--" + entry.getKey() + "=" + entry.getValue()).toList();
	}

	private int get(String path) throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(this.healthyBase.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	// The test's own: the HTTP clients of the child processes' handles and the JDK's
	// process reaper.
	private static List<String> liveThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> !name.startsWith("HttpClient-") && !name.equals("process reaper"))
			.sorted()
			.toList();
	}

	/**
	 * One malformed input.
	 *
	 * @param arguments command-line arguments, for {@code ddprof.*} keys
	 * @param key the key the message must name
	 * @param value the value the message must show
	 * @param allowed what the message must say is allowed
	 */
	record BadSetting(List<String> arguments, String key, String value, String allowed) {

		@Override
		public String toString() {
			return String.join(" ", this.arguments);
		}

	}

}
