package io.ddprof.export.otlp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.DropReason;
import io.ddprof.export.upload.JdkHttpUploadTransport;
import io.ddprof.export.upload.RetryPolicy;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.format.RecordedWindows;
import io.ddprof.format.RecordedWindows.ExpectedSpan;
import io.ddprof.problem.ProblemLog;
import io.ddprof.testing.IntakeServer;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesPartialSuccess;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real window sent to a loopback Collector and decoded there with the official OTLP
 * classes of opentelemetry-proto 1.11.0-alpha, which share nothing with the exporter's
 * encoder.
 */
class OtlpExporterTests {

	private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100),
			Duration.ofSeconds(30));

	@TempDir
	Path temp;

	private IntakeServer collector;

	private final ProblemLog problems = new ProblemLog(Clock.systemUTC(), Duration.ofMinutes(5));

	private final RecordedWindows.Window window = RecordedWindows.asyncProfiler();

	private OtlpExporter exporter;

	@BeforeEach
	void startCollector() throws IOException {
		this.collector = new IntakeServer();
	}

	@AfterEach
	void stop() {
		if (this.exporter != null) {
			this.exporter.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
		}
		this.collector.close();
	}

	@Test
	void windowReachesTheCollectorWithItsResourceMethodAndSpanLinks() throws IOException {
		export(settings().build());
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().sent() == 1);
		IntakeServer.Request request = this.collector.requests().get(0);
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.uri().getPath()).isEqualTo("/v1development/profiles");
		assertThat(request.headers()).containsEntry("Content-Type", "application/x-protobuf")
			.containsEntry("Content-Encoding", "gzip")
			.containsEntry("api-key", "secret-key");
		ExportProfilesServiceRequest decoded = ExportProfilesServiceRequest.parseFrom(gunzip(request.body()));
		assertThat(decoded.getResourceProfilesCount()).isOne();
		assertThat(attributes(decoded.getResourceProfiles(0).getResource().getAttributesList()))
			.containsEntry("service.name", "orders")
			.containsEntry("deployment.environment.name", "prod")
			.containsEntry("service.version", "1.4.2")
			.containsEntry("team", "payments");
		assertThat(decoded.getResourceProfiles(0).getScopeProfiles(0).getScope().getName()).isEqualTo("ddprof");
		ProfilesDictionary dictionary = decoded.getDictionary();
		assertThat(dictionary.getStringTable(0)).isEmpty();
		assertThat(dictionary.getLinkTable(0).getTraceId().toByteArray()).containsOnly(0);
		List<Profile> profiles = decoded.getResourceProfiles(0).getScopeProfiles(0).getProfilesList();
		assertThat(profiles).extracting((profile) -> typeOf(dictionary, profile))
			.contains("cpu/nanoseconds", "wall/nanoseconds", "alloc_space/bytes");
		Profile cpu = profiles.stream()
			.filter((p) -> typeOf(dictionary, p).equals("cpu/nanoseconds"))
			.findFirst()
			.get();
		List<Sample> inMethod = cpu.getSamplesList()
			.stream()
			.filter((sample) -> functions(dictionary, sample).stream()
				.anyMatch((f) -> f.endsWith("." + RecordedWindows.NESTED_SPAN_METHOD)))
			.toList();
		assertThat(inMethod).isNotEmpty();
		// Every link names a nested span of the window with its own 128-bit trace; some
		// sample in the span's method has one.
		assertThat(inMethod).anySatisfy((sample) -> assertThat(sample.getLinkIndex()).isPositive());
		assertThat(inMethod).filteredOn((sample) -> sample.getLinkIndex() > 0).allSatisfy((sample) -> {
			String traceId = HexFormat.of()
				.formatHex(dictionary.getLinkTable(sample.getLinkIndex()).getTraceId().toByteArray());
			String spanId = HexFormat.of()
				.formatHex(dictionary.getLinkTable(sample.getLinkIndex()).getSpanId().toByteArray());
			assertThat(spanId).hasSize(16);
			ExpectedSpan expected = this.window.spans().get(Long.parseUnsignedLong(spanId, 16));
			assertThat(expected).as("span %s", spanId).isNotNull();
			assertThat(expected.nested()).isTrue();
			assertThat(traceId).hasSize(32).isEqualTo(expected.traceId());
			assertThat(sample.getValues(0)).isPositive();
		});
		assertThat(cpu.getTimeUnixNano()).isPositive();
		assertThat(cpu.getPeriod()).isEqualTo(RecordedWindows.CPU_INTERVAL_NANOS);
	}

	@Test
	void uncompressedWhenCompressionIsNone() throws IOException {
		export(settings().otlpGzip(false).build());
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().sent() == 1);
		IntakeServer.Request request = this.collector.requests().get(0);
		assertThat(request.headers()).doesNotContainKey("Content-Encoding");
		assertThat(ExportProfilesServiceRequest.parseFrom(request.body()).getResourceProfilesCount()).isOne();
	}

	@Test
	void partialSuccessWithRejectedProfilesIsOneLineAndACountedDrop() throws IOException {
		this.collector.otherwise(200,
				ExportProfilesServiceResponse.newBuilder()
					.setPartialSuccess(ExportProfilesPartialSuccess.newBuilder()
						.setRejectedProfiles(2)
						.setErrorMessage("unsupported sample type"))
					.build()
					.toByteArray());
		export(settings().build());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.exporter.status().dropped().getOrDefault(DropReason.REJECTED.value(), 0L) == 1);
		assertThat(this.exporter.status().sent()).isZero();
		assertThat(this.exporter.status().retried()).isZero();
		assertThat(this.problems.recent()).singleElement().satisfies((problem) -> {
			assertThat(problem.kind()).isEqualTo("otlp.upload.dropped.rejected");
			assertThat(problem.message()).contains("rejected 2 profile(s) (unsupported sample type)")
				.contains("opentelemetry-proto 1.11.0-alpha");
		});
	}

	@Test
	void partialSuccessWithoutRejectionsIsSent() throws IOException {
		this.collector.otherwise(200,
				ExportProfilesServiceResponse.newBuilder()
					.setPartialSuccess(ExportProfilesPartialSuccess.newBuilder().setErrorMessage("a warning"))
					.build()
					.toByteArray());
		export(settings().build());
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().sent() == 1);
		assertThat(droppedTotal(this.exporter.status())).isZero();
	}

	@Test
	void collectorRefusingTheRequestIsOneLineNotRetried() throws IOException {
		this.collector.otherwise(400);
		export(settings().build());
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().failed() == 1);
		assertThat(this.exporter.status().retried()).isZero();
		assertThat(this.collector.requests()).hasSize(1);
		assertThat(this.problems.recent()).singleElement().satisfies((problem) -> {
			assertThat(problem.kind()).isEqualTo("otlp.upload.rejected.400");
			assertThat(problem.message()).contains("HTTP 400").contains("v1development");
		});
	}

	@Test
	void serverErrorsAreRetried() throws IOException {
		this.collector.otherwise(503);
		export(settings().build());
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().retried() >= 2);
		this.collector.otherwise(200);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().sent() == 1);
	}

	@Test
	void headerValuesNeverShowInSettingsOrStatus() throws IOException {
		ProfilerSettings settings = settings().build();
		export(settings);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().sent() == 1);
		assertThat(settings.toString()).contains("api-key").doesNotContain("secret-key");
		assertThat(this.exporter.status().toString()).doesNotContain("secret-key");
	}

	@Test
	void windowsWaitInAnOwnerOnlyDirectoryNobodyCouldHaveCreatedFirst() throws IOException {
		// A spool directory at a predictable name could be created or linked first by
		// another user.
		Path elsewhere = Files.createDirectories(this.temp.resolve("elsewhere"));
		Path planted = Files.createDirectories(this.temp.resolve("ddprof-" + ProcessHandle.current().pid()));
		Files.createSymbolicLink(planted.resolve(OtlpExporter.NAME), elsewhere);
		this.collector.hold();
		export(settings().build());
		await().atMost(Duration.ofSeconds(30)).until(() -> this.collector.requests().size() == 1);

		try (Stream<Path> files = Files.list(elsewhere)) {
			assertThat(files.toList()).as("windows written through the planted link").isEmpty();
		}
		assertThat(spoolDirectories()).singleElement().satisfies((directory) -> {
			assertThat(Files.isSymbolicLink(directory)).isFalse();
			assertThat(Files.getPosixFilePermissions(directory))
				.isEqualTo(PosixFilePermissions.fromString("rwx------"));
			try (Stream<Path> files = Files.list(directory)) {
				assertThat(files.toList()).singleElement()
					.satisfies((file) -> assertThat(Files.getPosixFilePermissions(file))
						.isEqualTo(PosixFilePermissions.fromString("rw-------")));
			}
		});
		this.exporter.close(System.nanoTime());
		assertThat(spoolDirectories()).isEmpty();
	}

	@Test
	void statusSaysWhyWindowsGoToThisEndpoint() throws IOException {
		export(settings().build());
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().sent() == 1);

		assertThat(this.exporter.status().destinationReason()).contains("ddprof.otlp.endpoint")
			.contains("OTEL_EXPORTER_OTLP_PROFILES_ENDPOINT");
	}

	private List<Path> spoolDirectories() throws IOException {
		try (Stream<Path> entries = Files.list(this.temp)) {
			return entries
				.filter((entry) -> entry.getFileName()
					.toString()
					.startsWith("ddprof-" + ProcessHandle.current().pid() + "-" + OtlpExporter.NAME + "-"))
				.toList();
		}
	}

	private void export(ProfilerSettings settings) {
		this.exporter = new OtlpExporter(settings, new JdkHttpUploadTransport(Duration.ofSeconds(10)), this.problems,
				FAST);
		this.exporter.export(this.window.copyTo(this.temp, 1));
	}

	private ProfilerSettings.Builder settings() {
		return ProfilerSettings.builder()
			.service("orders")
			.env("prod")
			.version("1.4.2")
			.tags(Map.of("team", "payments"))
			.otlpEndpoint(this.collector.url())
			.otlpHeaders(Map.of("api-key", "secret-key"))
			.tempDirectory(this.temp);
	}

	/** All windows dropped, whatever the reason. */
	private static long droppedTotal(UploadStatus status) {
		return status.dropped().values().stream().mapToLong(Long::longValue).sum();
	}

	private static byte[] gunzip(byte[] body) throws IOException {
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return in.readAllBytes();
		}
	}

	private static Map<String, String> attributes(List<KeyValue> attributes) {
		Map<String, String> map = new LinkedHashMap<>();
		attributes.forEach((kv) -> map.put(kv.getKey(), kv.getValue().getStringValue()));
		return map;
	}

	private static String typeOf(ProfilesDictionary dictionary, Profile profile) {
		return dictionary.getStringTable(profile.getSampleType().getTypeStrindex()) + "/"
				+ dictionary.getStringTable(profile.getSampleType().getUnitStrindex());
	}

	private static List<String> functions(ProfilesDictionary dictionary, Sample sample) {
		return dictionary.getStackTable(sample.getStackIndex())
			.getLocationIndicesList()
			.stream()
			.map((location) -> dictionary.getLocationTable(location).getLines(0).getFunctionIndex())
			.map((function) -> dictionary.getStringTable(dictionary.getFunctionTable(function).getNameStrindex()))
			.toList();
	}

}
