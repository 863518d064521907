package io.ddprof.export.pyroscope;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.JdkHttpUploadTransport;
import io.ddprof.export.upload.RetryPolicy;
import io.ddprof.format.RecordedWindows;
import io.ddprof.format.RecordedWindows.ExpectedSpan;
import io.ddprof.format.pprof.ProfileProto.Label;
import io.ddprof.format.pprof.ProfileProto.Location;
import io.ddprof.format.pprof.ProfileProto.Profile;
import io.ddprof.format.pprof.ProfileProto.Sample;
import io.ddprof.problem.ProblemLog;
import io.ddprof.testing.IntakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real window pushed to a loopback Pyroscope: the push is read with protobuf-java's
 * generic {@link CodedInputStream} against the published field numbers, and the pprof
 * inside with the classes generated from Google's {@code profile.proto}; neither shares
 * code with the exporter.
 */
class PyroscopeExporterTests {

	private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100),
			Duration.ofSeconds(30));

	@TempDir
	Path temp;

	private IntakeServer server;

	private final ProblemLog problems = new ProblemLog(Clock.systemUTC(), Duration.ofMinutes(5));

	private final RecordedWindows.Window window = RecordedWindows.asyncProfiler();

	private PyroscopeExporter exporter;

	@BeforeEach
	void startServer() throws IOException {
		this.server = new IntakeServer();
	}

	@AfterEach
	void stop() {
		if (this.exporter != null) {
			this.exporter.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
		}
		this.server.close();
	}

	@Test
	void windowIsPushedAsLabelledSeriesOfPprofWithSpanProfileLabels() throws IOException {
		export(settings().pyroscopeBasicAuthUsername("123456").pyroscopeBasicAuthPassword("glc_secret").build());
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().sent() == 1);
		IntakeServer.Request request = this.server.requests().get(0);
		assertThat(request.uri().getPath()).isEqualTo("/push.v1.PusherService/Push");
		assertThat(request.headers()).containsEntry("Content-Type", "application/proto")
			.containsEntry("X-Scope-OrgID", "team-a")
			.containsEntry("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString("123456:glc_secret".getBytes(StandardCharsets.UTF_8)));
		List<Series> series = parsePush(request.body());
		assertThat(series).extracting((s) -> s.labels().get("__name__")).contains("process_cpu", "wall", "memory");
		assertThat(series).allSatisfy((s) -> assertThat(s.labels()).containsEntry("service_name", "orders")
			.containsEntry("env", "prod")
			.containsEntry("service_version", "1.4.2")
			.containsEntry("team_name", "payments"));
		Series cpu = series.stream().filter((s) -> s.labels().get("__name__").equals("process_cpu")).findFirst().get();
		assertThat(cpu.profiles()).hasSize(1);
		Profile pprof = Profile.parseFrom(gunzip(cpu.profiles().get(0)));
		assertThat(pprof.getStringTable((int) pprof.getSampleType(0).getType())).isEqualTo("cpu");
		assertThat(pprof.getStringTable((int) pprof.getSampleType(0).getUnit())).isEqualTo("nanoseconds");
		List<Sample> inMethod = pprof.getSampleList()
			.stream()
			.filter((sample) -> functions(pprof, sample).stream()
				.anyMatch((f) -> f.endsWith("." + RecordedWindows.NESTED_SPAN_METHOD)))
			.toList();
		// A sample in a nested span carries its request's local root span and endpoint.
		assertThat(inMethod).isNotEmpty()
			.anySatisfy((sample) -> assertThat(labels(pprof, sample)).containsKey("span_id"));
		assertThat(inMethod).filteredOn((sample) -> labels(pprof, sample).containsKey("span_id"))
			.allSatisfy((sample) -> {
				Map<String, String> labels = labels(pprof, sample);
				assertThat(labels.get("span_id")).matches("[0-9a-f]{16}");
				ExpectedSpan root = this.window.spans().get(Long.parseUnsignedLong(labels.get("span_id"), 16));
				assertThat(root).as("span %s", labels.get("span_id")).isNotNull();
				assertThat(root.nested()).isFalse();
				assertThat(labels).containsEntry("span_name", root.endpoint()).doesNotContainKey("thread id");
			});
	}

	@Test
	void bearerTokenWhenNoBasicAuth() throws IOException {
		export(settings().pyroscopeAuthToken("a-token").build());
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().sent() == 1);
		assertThat(this.server.requests().get(0).headers()).containsEntry("Authorization", "Bearer a-token");
	}

	@Test
	void refusedPushIsOneLineWithoutTheSecret() throws IOException {
		this.server.otherwise(401);
		ProfilerSettings settings = settings().pyroscopeBasicAuthUsername("123456")
			.pyroscopeBasicAuthPassword("glc_secret")
			.build();
		export(settings);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.exporter.status().failed() == 1);
		assertThat(this.problems.recent()).singleElement().satisfies((problem) -> {
			assertThat(problem.kind()).isEqualTo("pyroscope.upload.rejected.401");
			assertThat(problem.message()).contains("HTTP 401")
				.contains("ddprof.pyroscope.basic-auth.username")
				.doesNotContain("glc_secret");
		});
		assertThat(settings.toString()).doesNotContain("glc_secret");
		assertThat(this.exporter.status().toString()).doesNotContain("glc_secret");
	}

	private void export(ProfilerSettings settings) {
		this.exporter = new PyroscopeExporter(settings, new JdkHttpUploadTransport(Duration.ofSeconds(10)),
				this.problems, FAST);
		this.exporter.export(this.window.copyTo(this.temp, 1));
	}

	private ProfilerSettings.Builder settings() {
		return ProfilerSettings.builder()
			.service("orders")
			.env("prod")
			.version("1.4.2")
			.tags(Map.of("team.name", "payments"))
			.pyroscopeUrl(this.server.url())
			.pyroscopeTenantId("team-a")
			.tempDirectory(this.temp);
	}

	/**
	 * PushRequest{series = 1}, RawProfileSeries{labels = 1, samples = 2}, LabelPair{name
	 * = 1, value = 2}, RawSample{raw_profile = 1, ID = 2}.
	 */
	private static List<Series> parsePush(byte[] body) throws IOException {
		List<Series> series = new ArrayList<>();
		CodedInputStream push = CodedInputStream.newInstance(body);
		for (int tag = push.readTag(); tag != 0; tag = push.readTag()) {
			assertThat(WireFormat.getTagFieldNumber(tag)).isEqualTo(1);
			assertThat(WireFormat.getTagWireType(tag)).isEqualTo(WireFormat.WIRETYPE_LENGTH_DELIMITED);
			CodedInputStream one = CodedInputStream.newInstance(push.readByteArray());
			Map<String, String> labels = new LinkedHashMap<>();
			List<byte[]> profiles = new ArrayList<>();
			for (int field = one.readTag(); field != 0; field = one.readTag()) {
				CodedInputStream message = CodedInputStream.newInstance(one.readByteArray());
				Map<Integer, byte[]> fields = new LinkedHashMap<>();
				for (int inner = message.readTag(); inner != 0; inner = message.readTag()) {
					fields.put(WireFormat.getTagFieldNumber(inner), message.readByteArray());
				}
				if (WireFormat.getTagFieldNumber(field) == 1) {
					labels.put(new String(fields.get(1), StandardCharsets.UTF_8),
							new String(fields.get(2), StandardCharsets.UTF_8));
				}
				else {
					assertThat(WireFormat.getTagFieldNumber(field)).isEqualTo(2);
					assertThat(new String(fields.get(2), StandardCharsets.UTF_8)).hasSize(36);
					profiles.add(fields.get(1));
				}
			}
			series.add(new Series(labels, profiles));
		}
		return series;
	}

	private static byte[] gunzip(byte[] body) throws IOException {
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return in.readAllBytes();
		}
	}

	private static List<String> functions(Profile profile, Sample sample) {
		Map<Long, Location> locations = new LinkedHashMap<>();
		profile.getLocationList().forEach((location) -> locations.put(location.getId(), location));
		Map<Long, String> functions = new LinkedHashMap<>();
		profile.getFunctionList()
			.forEach((function) -> functions.put(function.getId(), profile.getStringTable((int) function.getName())));
		return sample.getLocationIdList()
			.stream()
			.map((id) -> functions.get(locations.get(id).getLine(0).getFunctionId()))
			.toList();
	}

	private static Map<String, String> labels(Profile profile, Sample sample) {
		Map<String, String> labels = new LinkedHashMap<>();
		for (Label label : sample.getLabelList()) {
			labels.put(profile.getStringTable((int) label.getKey()), profile.getStringTable((int) label.getStr()));
		}
		return labels;
	}

	private record Series(Map<String, String> labels, List<byte[]> profiles) {
	}

}
