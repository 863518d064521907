package io.ddprof.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.github.luben.zstd.ZstdInputStream;
import io.ddprof.export.datadog.DatadogMultipart;
import io.ddprof.testing.IntakeServer;
import io.ddprof.testing.JavaProcess;
import io.ddprof.testing.JfrEvents;
import io.ddprof.testing.Multipart;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample, started with {@code java -jar} as a user would, profiles its
 * endpoints under load into windows of five seconds, keeps each in the local directory,
 * uploads each to a Datadog agent (a loopback server here) in the intake's shape, and on
 * SIGTERM delivers the last window both ways before it exits. The run happens once,
 * before the tests, which then read what it left behind; the application's output is in
 * {@code target/sample-app-it.log}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleAppEndToEndIT {

	private static final Duration LOAD = Duration.ofSeconds(12);

	private static final int CONCURRENCY = 4;

	// Hang guards only, far above what the steps take.
	private static final Duration WINDOWS_TIMEOUT = Duration.ofSeconds(60);

	private static final String CPU_CLASS = PrimeSearch.class.getName();

	private static final String SERVICE = "ddprof-sample";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Given to the sample as a system property, a program argument and an environment
	 * variable.
	 */
	private static final String SECRET = "ddprof-it-secret-" + UUID.randomUUID();

	/**
	 * What {@code GET /actuator/profiler/...} serves: every download format, and the
	 * status.
	 */
	private static final List<String> DOWNLOADS = List.of("/actuator/profiler", "/actuator/profiler/jfr",
			"/actuator/profiler/pprof?event=cpu", "/actuator/profiler/pprof?event=wall",
			"/actuator/profiler/pprof?event=alloc", "/actuator/profiler/collapsed?event=cpu",
			"/actuator/profiler/flamegraph?event=cpu");

	private Path temp;

	private IntakeServer intake;

	private Path log;

	private Path local;

	private LoadDriver.Report load;

	private JsonNode chained;

	private int exitCode;

	private final Map<Path, List<RecordedEvent>> windows = new LinkedHashMap<>();

	private final Map<String, byte[]> downloads = new LinkedHashMap<>();

	private final Map<String, byte[]> workFiles = new LinkedHashMap<>();

	@BeforeAll
	void runTheSampleUnderLoadThenStopIt(@TempDir Path temp) throws Exception {
		this.temp = temp;
		this.log = Path.of(System.getProperty("sample.log", "target/sample-app-it.log"));
		this.local = this.temp.resolve("profiles");
		this.intake = new IntakeServer();
		JavaProcess app = PackagedSample.start(List.of("-Xmx512m", "-Dspring.datasource.password=" + SECRET),
				List.of("--ddprof.upload.period=5s", "--ddprof.local.directory=" + this.local,
						"--ddprof.upload.enabled=true", "--ddprof.agent.url=" + this.intake.url(),
						"--ddprof.temp-directory=" + this.temp.resolve("work"), "--ddprof.api-key=" + SECRET),
				Map.of("SAMPLE_DATABASE_PASSWORD", SECRET), this.log);
		try {
			app.awaitHealthy();
			this.load = new LoadDriver(app.base(), LOAD, CONCURRENCY).run();
			this.chained = app.get("/chain");
			await().atMost(WINDOWS_TIMEOUT)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> localWindows("periodic").size() >= 2 && uploads("periodic").size() >= 2);
			for (String download : DOWNLOADS) {
				this.downloads.put(download, app.getBytes(download));
			}
			snapshotWorkDirectory();
		}
		finally {
			// SIGTERM, as an orchestrator stops a service.
			app.terminate();
		}
		this.exitCode = app.exitCode();
		for (Path window : localWindows("")) {
			this.windows.put(window, RecordingFile.readAllEvents(window));
		}
		// For whoever reads the build output: what the load saw and what each window
		// holds.
		System.out.print(this.load.format());
		System.out.println(eventSummary());
		System.out.println("uploads: " + uploads("periodic").size() + " periodic, " + uploads("on_shutdown").size()
				+ " on_shutdown; exit code " + this.exitCode);
	}

	@AfterAll
	void stopIntake() {
		if (this.intake != null) {
			this.intake.close();
		}
	}

	@Test
	void everyEndpointAnswersUnderLoadWithoutErrors() {
		for (String path : LoadDriver.MIX) {
			String endpoint = path.replaceAll("\\?.*", "");
			LoadDriver.EndpointReport report = this.load.endpoint(endpoint);
			assertThat(report.requests()).as(this.load.format()).isPositive();
			assertThat(report.errors()).as(this.load.format()).isZero();
		}
	}

	@Test
	void chainedCallToCpuRunsInTheCallersTrace() {
		String traceId = this.chained.get("traceId").asString();
		assertThat(traceId).as(this.chained.toString()).matches("[0-9a-f]{16,32}");
		assertThat(this.chained.get("downstream").get("endpoint").asString()).isEqualTo("cpu");
		assertThat(this.chained.get("downstream").get("traceId").asString()).isEqualTo(traceId);
	}

	@Test
	void eachPeriodLeavesAReadableWindowWithTheCpuEndpointsSamples() {
		assertThat(this.windows).as(logTail()).hasSizeGreaterThanOrEqualTo(3);
		assertThat(this.windows.keySet()).allMatch((file) -> file.getFileName().toString().startsWith(SERVICE + "-"));
		long withCpuSamples = this.windows.values()
			.stream()
			.filter((events) -> events.stream()
				.anyMatch((event) -> is(event, "jdk.ExecutionSample")
						&& JfrEvents.stackHas(event, CPU_CLASS, "searchPrimes")))
			.count();
		assertThat(withCpuSamples).as(eventSummary()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void eachEndpointShowsInTheProfileOfItsKind() {
		List<RecordedEvent> events = this.windows.values().stream().flatMap(List::stream).toList();
		assertThat(events).as(eventSummary())
			.anyMatch((event) -> isAllocation(event)
					&& JfrEvents.stackHas(event, ShortLivedAllocations.class.getName(), "allocateGarbage"))
			.anyMatch((event) -> is(event, "profiler.WallClockSample")
					&& JfrEvents.stackHas(event, SlowDownstream.class.getName(), "callSlowDownstream"))
			.anyMatch((event) -> is(event, "jdk.JavaMonitorEnter")
					&& JfrEvents.stackHas(event, ContendedLock.class.getName(), "holdSharedLock"));
	}

	@Test
	void everyUploadHasTheDatadogIntakeShape() throws IOException {
		List<IntakeServer.Request> uploads = this.intake.requests(PackagedSample.INTAKE_PATH);
		assertThat(uploads).as(logTail()).hasSizeGreaterThanOrEqualTo(3);
		assertThat(this.intake.requests()).as("requests but uploads")
			.allMatch(
					(request) -> request.method().equals("POST") && request.path().equals(PackagedSample.INTAKE_PATH));
		for (IntakeServer.Request upload : uploads) {
			List<Multipart.Part> parts = upload.parts();
			assertThat(parts).extracting(Multipart.Part::name)
				.containsExactly(DatadogMultipart.EVENT_PART, DatadogMultipart.RECORDING_PART);
			assertThat(parts.get(0).filename()).isEqualTo(DatadogMultipart.EVENT_FILE);
			assertThat(parts.get(0).contentType()).startsWith("application/json");
			assertThat(parts.get(1).filename()).isEqualTo(DatadogMultipart.RECORDING_FILE);
			assertThat(parts.get(1).contentType()).isEqualTo("application/octet-stream");

			JsonNode event = JSON.readTree(parts.get(0).text());
			assertThat(event.get("attachments").isArray()).isTrue();
			assertThat(event.get("attachments").get(0).asString()).isEqualTo(DatadogMultipart.RECORDING_FILE);
			assertThat(event.get("attachments").size()).isOne();
			assertThat(tags(event)).contains("service:" + SERVICE).anyMatch((tag) -> tag.startsWith("snapshot:"));
			Instant start = Instant.parse(event.get("start").asString());
			Instant end = Instant.parse(event.get("end").asString());
			assertThat(start).isBefore(end);
			assertThat(event.get("family").asString()).isEqualTo("java");
			assertThat(event.get("version").isString()).isTrue();
			assertThat(event.get("version").asString()).isEqualTo("4");

			byte[] compressed = parts.get(1).content();
			assertThat(Arrays.copyOf(compressed, 4)).as("zstd frame magic").containsExactly(0x28, 0xB5, 0x2F, 0xFD);
			Path jfr = Files.createTempFile(this.temp, "upload-", ".jfr");
			try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(compressed))) {
				Files.copy(in, jfr, StandardCopyOption.REPLACE_EXISTING);
			}
			// Uploads carry Datadog's events (DatadogSpansIT checks them in full).
			assertThat(RecordingFile.readAllEvents(jfr)).anyMatch((e) -> is(e, "datadog.ExecutionSample"));
		}
		assertThat(uploads("periodic")).hasSizeGreaterThanOrEqualTo(2);
	}

	@Test
	void sigtermDeliversTheLastWindowToTheDirectoryAndTheAgent() throws IOException {
		assertThat(localWindows("on_shutdown")).as(logTail()).hasSize(1);
		assertThat(this.windows.get(localWindows("on_shutdown").get(0))).as("a readable last window").isNotEmpty();
		assertThat(uploads("on_shutdown")).as(logTail()).hasSize(1);
	}

	@Test
	void sigtermEndsTheProcessWithAnOrderlyShutdown() {
		// The JVM exits with 128 + 15 after a SIGTERM whose shutdown hooks (Spring's
		// context close, and
		// with it the profiler's flush) all ran; a crash or a forced kill gives 1 or 137.
		assertThat(this.exitCode).as(logTail()).isEqualTo(143);
		assertThat(logTail()).doesNotContain("ERROR");
	}

	/**
	 * A secret given to the process as a {@code -D}, a program argument and an
	 * environment variable is in no artifact: no download, no local file, no upload,
	 * nothing ddprof keeps in its work directory (windows, history, the upload spool),
	 * each decompressed first.
	 */
	@Test
	void noSecretLeavesTheProcessInAnyArtifact() throws IOException {
		SecretScan scan = new SecretScan(SECRET);
		assertThat(this.downloads).hasSize(DOWNLOADS.size());
		for (Map.Entry<String, byte[]> download : this.downloads.entrySet()) {
			scan.assertAbsent("download " + download.getKey(), download.getValue());
		}
		assertThat(localWindows("")).as(logTail()).isNotEmpty();
		for (Path file : localWindows("")) {
			scan.assertAbsent("local file " + file.getFileName(), Files.readAllBytes(file));
		}
		assertThat(this.intake.requests(PackagedSample.INTAKE_PATH)).isNotEmpty();
		for (IntakeServer.Request upload : this.intake.requests(PackagedSample.INTAKE_PATH)) {
			scan.assertAbsent("upload", upload.body());
			for (Multipart.Part part : upload.parts()) {
				scan.assertAbsent("upload part " + part.name(), part.content());
			}
		}
		assertThat(this.workFiles.keySet()).as("the work directory while running")
			.anyMatch((name) -> name.endsWith(".jfr"));
		for (Map.Entry<String, byte[]> file : this.workFiles.entrySet()) {
			if (file.getValue().length > 0) {
				scan.assertAbsent("work file " + file.getKey(), file.getValue());
			}
		}
	}

	private void snapshotWorkDirectory() throws IOException {
		Path work = this.temp.resolve("work");
		try (Stream<Path> files = Files.walk(work)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				try {
					this.workFiles.put(work.relativize(file).toString(), Files.readAllBytes(file));
				}
				catch (NoSuchFileException ex) {
					// Moved on by the profiler meanwhile (a window rotated, an upload
					// sent).
				}
			}
		}
	}

	private List<Path> localWindows(String snapshot) throws IOException {
		if (!Files.isDirectory(this.local)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(this.local)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(snapshot + ".jfr")).sorted().toList();
		}
	}

	private List<IntakeServer.Request> uploads(String snapshot) {
		return this.intake.requests(PackagedSample.INTAKE_PATH)
			.stream()
			.filter((upload) -> tags(JSON.readTree(upload.parts().get(0).text())).contains("snapshot:" + snapshot))
			.toList();
	}

	private static List<String> tags(JsonNode event) {
		return List.of(event.get("tags_profiler").asString().split(","));
	}

	private static boolean is(RecordedEvent event, String type) {
		return event.getEventType().getName().equals(type);
	}

	private static boolean isAllocation(RecordedEvent event) {
		return is(event, "jdk.ObjectAllocationInNewTLAB") || is(event, "jdk.ObjectAllocationOutsideTLAB");
	}

	private String eventSummary() {
		List<String> lines = new ArrayList<>();
		this.windows.forEach((file, events) -> {
			Map<String, Long> counts = new LinkedHashMap<>();
			events.forEach((event) -> counts.merge(event.getEventType().getName(), 1L, Long::sum));
			lines.add(file.getFileName() + ": " + counts);
		});
		return String.join("\n", lines);
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

}
