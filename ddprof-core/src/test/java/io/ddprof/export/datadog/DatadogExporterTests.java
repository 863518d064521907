package io.ddprof.export.datadog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdInputStream;
import io.ddprof.config.Compression;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.DropReason;
import io.ddprof.export.upload.JdkHttpUploadTransport;
import io.ddprof.export.upload.QueuedWindow;
import io.ddprof.export.upload.RetryPolicy;
import io.ddprof.export.upload.UploadOutcome;
import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadTransport;
import io.ddprof.format.DatadogJfrWriter;
import io.ddprof.format.RecordedWindows;
import io.ddprof.problem.ProblemLog;
import io.ddprof.testing.IntakeServer;
import io.ddprof.testing.JfrEvents;
import io.ddprof.testing.Multipart;
import io.ddprof.window.RecordedWindow;
import io.ddprof.window.RecordedWindow.Snapshot;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DatadogExporter} against a real HTTP server on loopback, with JFR recorded by
 * the real async-profiler.
 */
class DatadogExporterTests {

	/**
	 * A strict reader: a repeated key or text after the document fails, as neither may be
	 * in an upload.
	 */
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private static final String API_KEY = "0123456789abcdef0123456789abcdef";

	private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100),
			Duration.ofMinutes(1));

	private static final Instant START = Instant.parse("2026-11-25T13:39:41.197301300Z");

	private static final Instant END = Instant.parse("2026-11-25T13:40:41.136301168Z");

	@TempDir
	Path temp;

	private IntakeServer server;

	private CapturedLogs logs;

	private final ProblemLog problems = new ProblemLog(Clock.systemUTC(), Duration.ofMinutes(5));

	private final List<DatadogExporter> exporters = new ArrayList<>();

	@BeforeEach
	void start() throws IOException {
		this.server = new IntakeServer();
		this.logs = new CapturedLogs();
	}

	@AfterEach
	void stop() {
		this.exporters.forEach((exporter) -> exporter.close(System.nanoTime()));
		this.server.close();
		this.logs.close();
	}

	@Test
	void uploadsEachWindowAsOneMultipartPostWithTheEventPartThenTheMainPart() throws Exception {
		Map<String, String> tags = new LinkedHashMap<>();
		tags.put("team", "backend");
		tags.put("note", "a,b");
		DatadogExporter exporter = exporter(settings().tags(tags).build());
		export(exporter, 7, Snapshot.PERIODIC);

		IntakeServer.Request request = awaitRequests(1).get(0);
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/profiling/v1/input");
		assertThat(request.headers()).containsEntry("DD-EVP-ORIGIN", "ddprof")
			.containsEntry("DD-EVP-ORIGIN-VERSION", RuntimeInfo.current().ddprofVersion())
			.containsEntry("Datadog-Meta-Lang", "java")
			.containsEntry("Datadog-Meta-Lang-Version", System.getProperty("java.version"))
			.containsEntry("Datadog-Meta-Lang-Interpreter", System.getProperty("java.vm.name"))
			.containsEntry("Datadog-Meta-Lang-Interpreter-Vendor", System.getProperty("java.vm.vendor"))
			.doesNotContainKey("DD-API-KEY");
		assertThat(request.headers().get("Content-Type")).startsWith("multipart/form-data; boundary=");
		assertThat(RuntimeInfo.current().ddprofVersion()).matches("\\d+\\.\\d+\\.\\d+.*");

		List<Multipart.Part> parts = request.parts();
		assertThat(parts).extracting(Multipart.Part::name)
			.containsExactly(DatadogMultipart.EVENT_PART, DatadogMultipart.RECORDING_PART);
		Multipart.Part event = parts.get(0);
		assertThat(event.filename()).isEqualTo(DatadogMultipart.EVENT_FILE);
		assertThat(event.contentType()).isEqualTo("application/json");
		Multipart.Part main = parts.get(1);
		assertThat(main.filename()).isEqualTo(DatadogMultipart.RECORDING_FILE);
		assertThat(main.contentType()).isEqualTo("application/octet-stream");

		Map<String, Object> json = eventJson(event.text());
		assertThat(json.keySet()).containsExactly("attachments", "tags_profiler", "process_tags", "start", "end",
				"family", "version");
		assertThat(json.get("attachments")).isEqualTo(List.of(DatadogMultipart.RECORDING_FILE));
		assertThat(json.get("start")).isEqualTo("2026-11-25T13:39:41.197301300Z");
		assertThat(json.get("end")).isEqualTo("2026-11-25T13:40:41.136301168Z");
		assertThat(json.get("family")).isEqualTo("java");
		assertThat(json.get("version")).isEqualTo("4");
		assertThat((String) json.get("process_tags")).contains("entrypoint.name:", "entrypoint.type:",
				"entrypoint.workdir:");
		Map<String, String> profilerTags = tags((String) json.get("tags_profiler"));
		assertThat(profilerTags.keySet()).containsExactly("service", "env", "version", "team", "note", "host",
				"language", "runtime_version", "process_id", "runtime-id", "profiler_version", "library_version",
				"snapshot");
		assertThat(profilerTags).containsEntry("service", "orders")
			.containsEntry("env", "test")
			.containsEntry("version", "1.2.3")
			.containsEntry("team", "backend")
			.containsEntry("note", "a_b")
			.containsEntry("host", RuntimeInfo.current().host())
			.containsEntry("language", "jvm")
			.containsEntry("runtime_version", System.getProperty("java.version"))
			.containsEntry("process_id", Long.toString(ProcessHandle.current().pid()))
			.containsEntry("profiler_version", RuntimeInfo.current().ddprofVersion())
			.containsEntry("library_version", RuntimeInfo.current().ddprofVersion())
			.containsEntry("snapshot", "periodic");
		assertThat(profilerTags.get("host")).isNotBlank();
		assertThat(profilerTags.get("runtime-id"))
			.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

		assertThat(main.content()).startsWith(0x28, 0xB5, 0x2F, 0xFD);
		assertThat(workloadSamples(decompress(main.content(), Compression.ZSTD))).isPositive();
		await().atMost(10, TimeUnit.SECONDS).until(() -> exporter.status().sent() == 1);
		assertThat(exporter.status().bytesSent()).isEqualTo(main.content().length);
		assertThat(exporter.status().lastOutcome()).isEqualTo(UploadOutcome.SENT.value());
	}

	@ParameterizedTest
	@EnumSource(Compression.class)
	void mainPartRoundTripsWithEveryCompression(Compression compression) throws Exception {
		DatadogExporter exporter = exporter(settings().compression(compression).build());
		export(exporter, 1, Snapshot.PERIODIC);

		byte[] main = awaitRequests(1).get(0).parts().get(1).content();
		byte[] jfr = decompress(main, compression);
		assertThat(new String(jfr, 0, 4, "US-ASCII")).isEqualTo("FLR\0");
		assertThat(workloadSamples(jfr)).isPositive();
	}

	@Test
	void theUploadCarriesDatadogsEventsAndNoOtherEventOfTheWindow() throws Exception {
		DatadogExporter exporter = exporter(settings().compression(Compression.ZSTD).build());
		export(exporter, 1, Snapshot.PERIODIC);

		byte[] jfr = decompress(awaitRequests(1).get(0).parts().get(1).content(), Compression.ZSTD);
		Path file = Files.write(this.temp.resolve("uploaded.jfr"), jfr);
		// The recorded window holds jdk.InitialSystemProperty, jdk.JVMInformation and
		// more: none is sent.
		assertThat(jdk.jfr.consumer.RecordingFile
			.readAllEvents(RecordedWindows.asyncProfiler().copyFile(this.temp.resolve("raw.jfr"))))
			.extracting((event) -> event.getEventType().getName())
			.contains("jdk.ExecutionSample", "jdk.InitialSystemProperty");
		assertThat(jdk.jfr.consumer.RecordingFile.readAllEvents(file))
			.extracting((event) -> event.getEventType().getName())
			.contains(DatadogJfrWriter.EXECUTION_SAMPLE)
			.allMatch((name) -> name.startsWith("datadog.") || name.equals(DatadogJfrWriter.MONITOR_ENTER));
	}

	@Test
	void dataThatIsAlreadyCompressedIsSentAsItIs() throws Exception {
		DatadogExporter exporter = exporter(settings().compression(Compression.ZSTD).build());
		Path jfr = RecordedWindows.asyncProfiler().copyFile(this.temp.resolve("plain.jfr"));
		Path gzipped = this.temp.resolve("window.jfr.gz");
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
			Files.copy(jfr, out);
		}
		byte[] expected = Files.readAllBytes(gzipped);
		exporter.export(new RecordedWindow(1, START, END, "async-profiler", gzipped, Snapshot.PERIODIC, 0));
		Files.delete(gzipped);

		assertThat(awaitRequests(1).get(0).parts().get(1).content()).isEqualTo(expected);
	}

	@Test
	void closeSendsTheFinalOnShutdownWindowBeforeTheDeadline() throws Exception {
		DatadogExporter exporter = exporter(settings().build());
		export(exporter, 3, Snapshot.ON_SHUTDOWN);
		exporter.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));

		assertThat(this.server.requests()).hasSize(1);
		Map<String, Object> json = eventJson(this.server.requests().get(0).parts().get(0).text());
		assertThat(tags((String) json.get("tags_profiler"))).containsEntry("snapshot", "on_shutdown");
		assertThat(exporter.status().sent()).isEqualTo(1);
		assertThat(exporter.status().queueDepth()).isZero();
		assertThat(uploadDirectories()).isEmpty();
	}

	@Test
	void windowsWaitOnDiskUnderTheTempDirectoryNotInTheCallersFile() throws Exception {
		this.server.answer(IntakeServer.HANG);
		DatadogExporter exporter = exporter(settings().build());
		Path jfr = export(exporter, 1, Snapshot.PERIODIC);

		assertThat(jfr).doesNotExist();
		awaitRequests(1);
		assertThat(uploadDirectories()).singleElement()
			.satisfies((directory) -> assertThat(Files.getPosixFilePermissions(directory))
				.isEqualTo(PosixFilePermissions.fromString("rwx------")));
		try (Stream<Path> files = Files.list(uploadDirectories().get(0))) {
			assertThat(files.toList()).singleElement()
				.satisfies((file) -> assertThat(file.getFileName().toString()).startsWith("window-1-")
					.endsWith(".jfr.zst"));
		}
		exporter.close(System.nanoTime());
		assertThat(uploadDirectories()).isEmpty();
		assertThat(exporter.status().dropped()).containsEntry(DropReason.SHUTDOWN.value(), 1L);
	}

	@Test
	void aPredictableSpoolDirectoryPlantedByAnotherUserIsNeverUsed() throws Exception {
		// What the spool directory's name used to be: anyone on the machine could create
		// it first.
		Path elsewhere = Files.createDirectories(this.temp.resolve("elsewhere"));
		Path planted = this.temp.resolve("tmp").resolve("ddprof-" + ProcessHandle.current().pid());
		Files.createDirectories(planted);
		Files.createSymbolicLink(planted.resolve("upload"), elsewhere);
		this.server.answer(IntakeServer.HANG);
		DatadogExporter exporter = exporter(settings().build());
		export(exporter, 1, Snapshot.PERIODIC);

		awaitRequests(1);
		try (Stream<Path> files = Files.list(elsewhere)) {
			assertThat(files.toList()).as("windows written through the planted link").isEmpty();
		}
		assertThat(uploadDirectories()).singleElement()
			.satisfies((directory) -> assertThat(Files.isSymbolicLink(directory)).isFalse());
	}

	@Test
	void credentialsInTheAgentUrlAppearInNoStatusAndNoMessage() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		DatadogExporter exporter = exporter(settings().agentUrl("http://user:s3cret@127.0.0.1:" + closedPort).build());
		export(exporter, 1, Snapshot.PERIODIC);
		await().atMost(20, TimeUnit.SECONDS).until(() -> !this.problems.recent().isEmpty());
		exporter.close(System.nanoTime());

		assertThat(exporter.status().destination())
			.hasToString("http://***@127.0.0.1:" + closedPort + "/profiling/v1/input");
		assertThat(exporter.status().toString()).doesNotContain("s3cret");
		assertThat(this.problems.recent()).isNotEmpty()
			.allSatisfy((problem) -> assertThat(problem.message()).doesNotContain("s3cret"));
	}

	@Test
	void containerIdHeaderIsSentOnlyWhenKnown() throws Exception {
		String id = "3726184226f5d3147c25fdeab5b60097e378e8a720503a5e19ecfdf29f869860";
		DatadogExporter inContainer = exporter(settings().build(), () -> runtime(id));
		export(inContainer, 1, Snapshot.PERIODIC);
		assertThat(awaitRequests(1).get(0).headers()).containsEntry("Datadog-Container-ID", id);

		DatadogExporter outside = exporter(settings().build(), () -> runtime(null));
		export(outside, 2, Snapshot.PERIODIC);
		assertThat(awaitRequests(2).get(1).headers()).doesNotContainKey("Datadog-Container-ID");
	}

	@Test
	void agentlessUploadGoesToTheSiteIntakeWithTheApiKeyHeader() throws Exception {
		List<URI> asked = new ArrayList<>();
		JdkHttpUploadTransport http = new JdkHttpUploadTransport(Duration.ofSeconds(10));
		// The site's intake is not reachable from a test: send the very request to the
		// loopback server.
		UploadTransport toLoopback = (request) -> {
			asked.add(request.uri());
			return http
				.send(new UploadRequest(this.server.uri(request.uri().getPath()), request.headers(), request.parts()));
		};
		DatadogExporter exporter = exporter(settings().agentless(true).apiKey(API_KEY).site("datadoghq.eu").build(),
				toLoopback);
		export(exporter, 1, Snapshot.PERIODIC);

		IntakeServer.Request request = awaitRequests(1).get(0);
		assertThat(asked).containsExactly(URI.create("https://intake.profile.datadoghq.eu/api/v2/profile"));
		assertThat(request.path()).isEqualTo("/api/v2/profile");
		assertThat(request.headers()).containsEntry("DD-API-KEY", API_KEY).containsEntry("DD-EVP-ORIGIN", "ddprof");
		assertThat(request.parts()).extracting(Multipart.Part::name)
			.containsExactly(DatadogMultipart.EVENT_PART, DatadogMultipart.RECORDING_PART);
		assertThat(exporter.status().destination()).hasToString("https://intake.profile.datadoghq.eu/api/v2/profile");
	}

	@Test
	void theApiKeyNeverAppearsInLogsStatusOrExceptionMessages() throws Exception {
		this.server.answer(403, 500, 429, 500);
		JdkHttpUploadTransport http = new JdkHttpUploadTransport(Duration.ofSeconds(10));
		List<String> exceptionMessages = new ArrayList<>();
		URI closedPort = closedPort();
		UploadTransport toLoopback = (request) -> {
			// After the first 500, one try meets a refused connection; after the 429, a
			// transport whose
			// exception message carries the key.
			URI target = (exceptionMessages.isEmpty() && this.server.requests().size() == 2) ? closedPort
					: this.server.uri(request.uri().getPath());
			if (this.server.requests().size() == 3 && exceptionMessages.size() == 1) {
				exceptionMessages.add("careless transport");
				throw new IOException("rejected header DD-API-KEY: " + request.headers().get("DD-API-KEY"));
			}
			try {
				return http.send(new UploadRequest(target, request.headers(), request.parts()));
			}
			catch (IOException ex) {
				exceptionMessages.add(ex.getMessage() + " " + ex);
				throw ex;
			}
		};
		ProfilerSettings settings = settings().agentless(true).apiKey(API_KEY).build();
		DatadogExporter exporter = exporter(settings, toLoopback);
		export(exporter, 1, Snapshot.PERIODIC);
		export(exporter, 2, Snapshot.PERIODIC);
		await().atMost(20, TimeUnit.SECONDS).until(() -> exporter.status().sent() == 1);

		// 403 for the first window; 500, a refused connection, 429, a careless exception,
		// 500 and 200 for the second
		assertThat(exporter.status().failed()).isEqualTo(1);
		assertThat(exporter.status().retried()).isEqualTo(5);
		// The log shows one line per kind of problem; the recent problems keep every one.
		List<String> recentProblems = this.problems.recent().stream().map(ProblemLog.Problem::message).toList();
		assertThat(recentProblems).anyMatch((line) -> line.contains("DD-API-KEY: <redacted>"));
		assertThat(exceptionMessages).isNotEmpty();
		assertThat(this.logs.messages()).anyMatch((line) -> line.contains("refused the API key (HTTP 403)"));
		List<String> everything = new ArrayList<>(this.logs.messages());
		everything.addAll(recentProblems);
		everything.addAll(exceptionMessages);
		everything.add(exporter.status().toString());
		everything.add(settings.toString());
		everything.add(settings.agent().toString());
		everything.add(new UploadRequestFactory(settings)
			.create(new QueuedWindow(1, START, END, "periodic", this.temp.resolve("x"), 0, 0))
			.toString());
		assertThat(everything).isNotEmpty().allSatisfy((text) -> assertThat(text).doesNotContain(API_KEY));
	}

	@Test
	void anAgentOnAUnixSocketTheTransportCannotReachIsReportedAtStartWithTheDependenciesToAdd() {
		exporter(settings().agentUrl("unix:///var/run/datadog/apm.socket").build());

		assertThat(this.logs.messages()).filteredOn((line) -> line.contains("cannot reach this kind of URL"))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains("io.projectreactor.netty:reactor-netty-http")
				.contains("io.netty:netty-transport-native-epoll")
				.contains("ddprof.agent.url"));
	}

	@Test
	void anAgentOnAUnixSocketIsReportedOnceAndItsWindowsCountedAsDroppedWithTheJdkTransport() throws Exception {
		DatadogExporter exporter = exporter(settings().agentUrl("unix:///var/run/datadog/apm.socket").build());
		Path jfr = export(exporter, 1, Snapshot.PERIODIC);
		export(exporter, 2, Snapshot.PERIODIC);

		assertThat(jfr).doesNotExist();
		assertThat(exporter.status().dropped()).containsEntry(DropReason.UNSUPPORTED_URL.value(), 2L);
		assertThat(this.logs.messages()).filteredOn((line) -> line.contains("cannot reach this kind of URL"))
			.hasSize(1)
			.allSatisfy((line) -> assertThat(line).contains("ddprof.agent.url"));
		assertThat(uploadDirectories()).isEmpty();
	}

	@Test
	void aWindowThatCannotBeWrittenToDiskIsReportedAndCountedNotThrown() throws Exception {
		Path notADirectory = Files.writeString(this.temp.resolve("file"), "x");
		DatadogExporter exporter = exporter(settings().tempDirectory(notADirectory).build());
		export(exporter, 1, Snapshot.PERIODIC);

		assertThat(exporter.status().dropped()).containsEntry(DropReason.SPOOL_ERROR.value(), 1L);
		assertThat(this.logs.records()).singleElement().satisfies((record) -> {
			assertThat(record.getMessage()).contains("could not queue profile #1").contains("ddprof.temp-directory");
			assertThat(record.getThrown()).isNull();
		});
	}

	private ProfilerSettings.Builder settings() {
		return ProfilerSettings.builder()
			.service("orders")
			.env("test")
			.version("1.2.3")
			.agentUrl(this.server.url())
			.uploadTimeout(Duration.ofSeconds(10))
			.tempDirectory(this.temp.resolve("tmp"));
	}

	private DatadogExporter exporter(ProfilerSettings settings) {
		return exporter(settings, new JdkHttpUploadTransport(settings.upload().timeout()), RuntimeInfo::current);
	}

	private DatadogExporter exporter(ProfilerSettings settings, UploadTransport transport) {
		return exporter(settings, transport, RuntimeInfo::current);
	}

	private DatadogExporter exporter(ProfilerSettings settings, Supplier<RuntimeInfo> runtime) {
		return exporter(settings, new JdkHttpUploadTransport(settings.upload().timeout()), runtime);
	}

	private DatadogExporter exporter(ProfilerSettings settings, UploadTransport transport,
			Supplier<RuntimeInfo> runtime) {
		DatadogExporter exporter = new DatadogExporter(settings, transport, this.problems, FAST, runtime,
				Clock.systemUTC());
		this.exporters.add(exporter);
		return exporter;
	}

	// Exports a fresh copy of the recording and deletes it on return, as the window
	// rotation does.
	private Path export(DatadogExporter exporter, long sequence, Snapshot snapshot) throws IOException {
		Path jfr = RecordedWindows.asyncProfiler()
			.copyFile(this.temp.resolve("window-" + sequence + "-" + System.nanoTime() + ".jfr"));
		exporter.export(new RecordedWindow(sequence, START, END, "async-profiler", jfr, snapshot, 0));
		Files.delete(jfr);
		return jfr;
	}

	private List<IntakeServer.Request> awaitRequests(int count) {
		await().atMost(20, TimeUnit.SECONDS).until(() -> this.server.requests().size() >= count);
		return this.server.requests();
	}

	private List<Path> uploadDirectories() throws IOException {
		Path tmp = this.temp.resolve("tmp");
		if (!Files.isDirectory(tmp)) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(tmp)) {
			return entries
				.filter((entry) -> entry.getFileName()
					.toString()
					.startsWith("ddprof-" + ProcessHandle.current().pid() + "-upload-"))
				.toList();
		}
	}

	private static RuntimeInfo runtime(String containerId) {
		RuntimeInfo real = RuntimeInfo.current();
		return new RuntimeInfo(real.host(), real.pid(), real.runtimeId(), real.javaVersion(), real.vmName(),
				real.vmVendor(), containerId, real.processTags(), real.ddprofVersion());
	}

	private static URI closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/api/v2/profile");
		}
	}

	/**
	 * The event document as maps, lists and strings, in the order of its keys; a repeated
	 * key fails.
	 */
	static Map<String, Object> eventJson(String text) {
		return JSON.readValue(text, new TypeReference<Map<String, Object>>() {
		});
	}

	static Map<String, String> tags(String text) {
		Map<String, String> tags = new LinkedHashMap<>();
		for (String tag : text.split(",")) {
			int colon = tag.indexOf(':');
			assertThat(colon).as("tag %s", tag).isPositive();
			assertThat(tags.put(tag.substring(0, colon), tag.substring(colon + 1))).as("duplicate tag %s", tag)
				.isNull();
		}
		return tags;
	}

	static byte[] decompress(byte[] data, Compression compression) throws IOException {
		InputStream raw = new ByteArrayInputStream(data);
		try (InputStream in = switch (compression) {
			case ZSTD -> new ZstdInputStream(raw);
			case LZ4 -> new LZ4FrameInputStream(raw);
			case GZIP -> new GZIPInputStream(raw);
			case OFF -> raw;
		}) {
			return in.readAllBytes();
		}
	}

	static long workloadSamples(byte[] jfr) throws IOException {
		Path file = Files.createTempFile("ddprof-uploaded-", ".jfr");
		try {
			Files.write(file, jfr);
			return JfrEvents.stacks(file, DatadogJfrWriter.EXECUTION_SAMPLE)
				.stream()
				.filter((stack) -> stack.stream().limit(3).anyMatch(RecordedWindows.NESTED_SPAN_METHOD::equals))
				.count();
		}
		finally {
			Files.delete(file);
		}
	}

}
