package io.ddprof.sample;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.luben.zstd.ZstdInputStream;
import io.ddprof.export.datadog.DatadogMultipart;
import io.ddprof.sample.PprofSamples.Sample;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The packaged sample with the {@code virtual-threads} profile (Java 21 or later) serves
 * the {@code /staged} endpoints at once, each computing in its own method, waiting on a
 * downstream socket (its virtual thread unmounts) and computing again. In the profile the
 * actuator serves as pprof, at least 95% of each method's CPU and wall-clock samples
 * carry their own request's trace and endpoint, and at most 1% another request's; in the
 * windows uploaded to a loopback Datadog intake, the same holds for the span ids of
 * {@code datadog.ExecutionSample} and {@code datadog.MethodSample}. Runs on Java 21 or
 * later; where the build sets {@code virtual-threads.required=true} (CI's Java 25 leg) an
 * older Java fails it instead of skipping it. The application's output is in
 * {@code target/sample-app-virtual-threads-it.log}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualThreadsEndToEndIT {

	private static final List<String> KINDS = List.of("quote", "rank", "render");

	private static final Duration LOAD = Duration.ofSeconds(15);

	private static final int CONCURRENCY = 6;

	private final Map<String, Set<String>> tracesByKind = new ConcurrentHashMap<>();

	/**
	 * The server span (local root) ids of each kind's requests, as unsigned 64-bit
	 * numbers.
	 */
	private final Map<String, Set<Long>> spansByKind = new ConcurrentHashMap<>();

	private final List<RecordedEvent> uploaded = new ArrayList<>();

	private IntakeServer intake;

	private Path log;

	private JsonNode status;

	private PprofSamples cpu;

	private PprofSamples wall;

	private JavaProcess app;

	@BeforeAll
	void serveStagedRequestsOnVirtualThreads(@TempDir Path temp) throws Exception {
		int feature = Runtime.version().feature();
		if (Boolean.getBoolean("virtual-threads.required")) {
			assertThat(feature)
				.as("virtual-threads.required=true, but the tests run on Java %d: run this build with "
						+ "JAVA_HOME set to a JDK 21 or later", feature)
				.isGreaterThanOrEqualTo(21);
		}
		assumeThat(feature).as("virtual threads need Java 21 or later").isGreaterThanOrEqualTo(21);
		this.log = Path.of(System.getProperty("sample.log", "target/sample-app-it.log"))
			.resolveSibling("sample-app-virtual-threads-it.log");
		Files.createDirectories(this.log.getParent());
		this.intake = new IntakeServer();
		this.app = PackagedSample.start(List.of("-Xmx512m"),
				List.of("--spring.profiles.active=virtual-threads", "--ddprof.upload.period=5s",
						"--ddprof.upload.enabled=true", "--ddprof.agent.url=" + this.intake.url(),
						"--ddprof.local.directory=" + temp.resolve("profiles"),
						"--ddprof.temp-directory=" + temp.resolve("work")),
				Map.of(), this.log);
		this.app.awaitHealthy();
		load();
		this.status = this.app.get("/actuator/profiler");
		this.cpu = PprofSamples.decode(this.app.getBytes("/actuator/profiler/pprof?event=cpu&seconds=600"));
		this.wall = PprofSamples.decode(this.app.getBytes("/actuator/profiler/pprof?event=wall&seconds=600"));
		// Stopped, the sample uploads its last window: every request's samples are in the
		// uploads then.
		stopTheSample();
		for (IntakeServer.Request upload : this.intake.requests(PackagedSample.INTAKE_PATH)) {
			Multipart.Part main = upload.parts()
				.stream()
				.filter((part) -> part.name().equals(DatadogMultipart.RECORDING_PART))
				.findFirst()
				.orElseThrow();
			Path jfr = Files.createTempFile(temp, "upload-", ".jfr");
			try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(main.content()))) {
				Files.copy(in, jfr, StandardCopyOption.REPLACE_EXISTING);
			}
			this.uploaded.addAll(RecordingFile.readAllEvents(jfr));
		}
	}

	@AfterAll
	void stopTheSample() throws InterruptedException {
		if (this.app != null && this.app.isAlive()) {
			this.app.terminate();
		}
		if (this.intake != null) {
			this.intake.close();
		}
	}

	@Test
	void recordsWithTheEngineThatSamplesVirtualThreadsAsThemselves() {
		assertThat(this.status.get("engine").asString()).as(this.status.toString()).isEqualTo("jfr");
		assertThat(this.status.get("engineReason").asString()).contains("virtual threads");
	}

	@Test
	void eachMethodsCpuSamplesCarryTheirOwnRequestsSpan() {
		assertSpanTruth(this.cpu, "samples/count");
	}

	@Test
	void eachMethodsWallClockSamplesCarryTheirOwnRequestsSpan() {
		assertSpanTruth(this.wall, "wall/nanoseconds");
	}

	@Test
	void eachMethodsCpuSamplesReachDatadogWithTheirOwnRequestsSpanIds() {
		assertUploadedSpanTruth("datadog.ExecutionSample");
	}

	@Test
	void eachMethodsWallClockSamplesReachDatadogWithTheirOwnRequestsSpanIds() {
		assertUploadedSpanTruth("datadog.MethodSample");
	}

	/**
	 * Right: the sample's local root is one of its kind's requests, and its span is in
	 * that request.
	 */
	private void assertUploadedSpanTruth(String type) {
		for (String kind : KINDS) {
			Set<Long> own = this.spansByKind.getOrDefault(kind, Set.of());
			long right = 0;
			long wrong = 0;
			long unlabelled = 0;
			for (RecordedEvent event : this.uploaded) {
				if (!event.getEventType().getName().equals(type)
						|| !JfrEvents.stackHas(event, StagedWork.class.getName(), kind)) {
					continue;
				}
				long root = event.getLong("localRootSpanId");
				if (root == 0) {
					unlabelled++;
				}
				else if (own.contains(root) && event.getLong("spanId") != 0) {
					right++;
				}
				else {
					wrong++;
				}
			}
			long total = right + wrong + unlabelled;
			String tally = String.format("%s in StagedWork.%s: %d right, %d wrong, %d unlabelled (%d uploads)", type,
					kind, right, wrong, unlabelled, this.intake.requests(PackagedSample.INTAKE_PATH).size());
			System.out.println(tally);
			assertThat(total).as(tally).isGreaterThanOrEqualTo(20);
			assertThat(right).as(tally).isGreaterThanOrEqualTo((long) Math.ceil(total * 0.95));
			assertThat(wrong).as(tally).isLessThanOrEqualTo(total / 100);
		}
	}

	private void assertSpanTruth(PprofSamples profile, String measure) {
		for (String kind : KINDS) {
			long right = 0;
			long wrong = 0;
			long unlabelled = 0;
			for (Sample sample : profile.samples()) {
				if (!sample.frames().contains(StagedWork.class.getName() + "." + kind)) {
					continue;
				}
				long value = profile.value(sample, measure);
				String traceId = sample.labels().get("trace id");
				if (traceId == null) {
					unlabelled += value;
				}
				else if (this.tracesByKind.getOrDefault(kind, Set.of()).contains(traceId)
						&& ("GET /staged/" + kind).equals(sample.labels().get("trace endpoint"))) {
					right += value;
				}
				else {
					wrong += value;
				}
			}
			long total = right + wrong + unlabelled;
			String tally = String.format("%s of StagedWork.%s: %d right, %d wrong, %d unlabelled", measure, kind, right,
					wrong, unlabelled);
			System.out.println(tally);
			assertThat(profile.samples()
				.stream()
				.filter((s) -> s.frames().contains(StagedWork.class.getName() + "." + kind))).as(tally)
				.hasSizeGreaterThanOrEqualTo(20);
			assertThat(right).as(tally).isGreaterThanOrEqualTo((long) Math.ceil(total * 0.95));
			assertThat(wrong).as(tally).isLessThanOrEqualTo(total / 100);
		}
	}

	private void load() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
		try {
			long end = System.nanoTime() + LOAD.toNanos();
			List<Future<Integer>> futures = new ArrayList<>();
			for (int c = 0; c < CONCURRENCY; c++) {
				int first = c;
				futures.add(clients.submit(() -> {
					int requests = 0;
					for (int i = first; System.nanoTime() < end; i++) {
						String kind = KINDS.get(i % KINDS.size());
						JsonNode work = this.app.get("/staged/" + kind + "?millis=40&wait=20");
						this.tracesByKind.computeIfAbsent(kind, (k) -> ConcurrentHashMap.newKeySet())
							.add(work.get("traceId").asString());
						this.spansByKind.computeIfAbsent(kind, (k) -> ConcurrentHashMap.newKeySet())
							.add(Long.parseUnsignedLong(work.get("spanId").asString(), 16));
						requests++;
					}
					return requests;
				}));
			}
			for (Future<Integer> future : futures) {
				assertThat(future.get()).isPositive();
			}
		}
		finally {
			clients.shutdownNow();
		}
	}

}
