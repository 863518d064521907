package io.ddprof.sample.reliability;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ddprof.export.upload.DropReason;
import io.ddprof.sample.LoadDriver;
import io.ddprof.sample.PackagedSample;
import io.ddprof.testing.FaultyIntake;
import io.ddprof.testing.JavaProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample under steady load for {@code -Dsoak.minutes} (10 by default), with
 * windows of 5 s uploaded to a loopback agent that answers one request in five with 500.
 * The load runs in legs of {@link #LEG}; between legs, with no request in flight, the
 * sample's heap after a full GC, live threads and open file descriptors are sampled.
 * After the warm-up leg they may not grow past the stated tolerances, and at the end
 * every window cut is accounted for: uploaded, or dropped with a reason. The samples and
 * the counts go to {@code target/reliability/soak.md}.
 * <p>
 * With {@code -Dsoak.virtual-threads=true} (Java 21 or later; an older Java fails the
 * run) the sample serves on virtual threads (the {@code virtual-threads} profile), one
 * new thread per request, with the {@code /staged} endpoints in the mix, whose virtual
 * threads unmount in the middle; the same tolerances hold, and the report goes to
 * {@code soak-virtual-threads.md}.
 */
@Tag("soak")
class SoakIT {

	private static final Duration PERIOD = Duration.ofSeconds(5);

	private static final Duration LEG = Duration.ofSeconds(30);

	private static final Duration WARM_UP = Duration.ofSeconds(60);

	private static final int CONCURRENCY = 2;

	/**
	 * Heap after GC at the end may exceed the warm-up's by this share (plus
	 * {@link #HEAP_FLOOR_BYTES}).
	 */
	private static final double HEAP_TOLERANCE = 0.10;

	/**
	 * A floor under the heap tolerance: a few MB of class metadata and caches filled late
	 * are no leak.
	 */
	private static final long HEAP_FLOOR_BYTES = 2L << 20;

	/**
	 * Live threads may differ from the warm-up's by this share (at least 3 threads: a
	 * pool thread started late).
	 */
	private static final double THREAD_TOLERANCE = 0.05;

	/** Open file descriptors may exceed the warm-up's by this share (at least 3). */
	private static final double FD_TOLERANCE = 0.05;

	/** The light mix plus the endpoints whose request threads block in the middle. */
	private static final List<String> VIRTUAL_THREADS_MIX = List.of("/cpu?millis=5", "/lock", "/io", "/alloc?mb=1",
			"/chain", "/staged/quote?millis=4&wait=5", "/staged/rank?millis=4&wait=5",
			"/staged/render?millis=4&wait=5");

	@TempDir
	Path temp;

	@Test
	void heapThreadsAndFilesStayFlatAndEveryWindowIsAccountedFor() throws Exception {
		Duration total = Duration.ofSeconds((long) (Double.parseDouble(System.getProperty("soak.minutes", "10")) * 60));
		assertThat(total).as("-Dsoak.minutes").isGreaterThan(WARM_UP);
		boolean virtualThreads = Boolean.getBoolean("soak.virtual-threads");
		if (virtualThreads) {
			assertThat(Runtime.version().feature())
				.as("-Dsoak.virtual-threads=true needs Java 21 or later: run with JAVA_HOME set to such a JDK")
				.isGreaterThanOrEqualTo(21);
		}
		List<String> mix = virtualThreads ? VIRTUAL_THREADS_MIX : FaultScenario.LIGHT_MIX;
		String report = virtualThreads ? "soak-virtual-threads" : "soak";
		Path local = this.temp.resolve("profiles");
		Path finalStatus = this.temp.resolve("final-status.json");
		List<String> arguments = new ArrayList<>(List.of("--ddprof.upload.period=" + PERIOD.toSeconds() + "s",
				"--ddprof.local.directory=" + local, "--ddprof.temp-directory=" + this.temp.resolve("work"),
				"--ddprof.upload.enabled=true", "--" + FaultProbe.FINAL_STATUS_PROPERTY + "=" + finalStatus));
		if (virtualThreads) {
			arguments.add("--spring.profiles.active=virtual-threads");
		}
		List<String> samples = new ArrayList<>();
		long requests = 0;
		long failures = 0;
		JsonNode warm;
		JsonNode end;
		JsonNode running;
		Duration shutdown;
		Duration profiled;
		long started = System.nanoTime();
		try (FaultyIntake intake = FaultyIntake.answering((n) -> (n % 5 == 0) ? 500 : 200)) {
			List<String> withAgent = new ArrayList<>(arguments);
			withAgent.add("--ddprof.agent.url=" + intake.url());
			try (JavaProcess app = PackagedSample.startWithProbe(List.of(), withAgent, Map.of(),
					PackagedSample.reportDirectory().resolve(report + ".log"))) {
				app.awaitHealthy();
				long profiling = System.nanoTime();
				LoadDriver.Report warmUp = new LoadDriver(app.base(), WARM_UP, CONCURRENCY, mix).run();
				requests += warmUp.requests();
				failures += warmUp.errors();
				warm = app.get("/probe/vitals");
				samples.add(sample(started, warm, requests, failures));
				end = warm;
				while (System.nanoTime() - started < total.toNanos()) {
					LoadDriver.Report leg = new LoadDriver(app.base(), LEG, CONCURRENCY, mix).run();
					requests += leg.requests();
					failures += leg.errors();
					assertThat(leg.errors()).as(leg.format()).isZero();
					end = app.get("/probe/vitals");
					samples.add(sample(started, end, requests, failures));
				}
				running = app.get("/probe/status");
				profiled = Duration.ofNanos(System.nanoTime() - profiling);
				shutdown = app.terminate();
				assertThat(app.exitCode()).as(app.logTail()).isEqualTo(143);
			}
			JsonNode last = JsonMapper.builder().build().readTree(finalStatus.toFile());
			FaultRun counts = new FaultRun(null, this.temp, local, null, intake);
			counts.finalStatus = last;
			String summary = summary(requests, failures, warm, end, counts, intake, shutdown);
			write(report, samples, summary);

			assertThat(failures).as("failed requests of %d", requests).isZero();
			long heapWarm = warm.get("heapAfterGc").asLong();
			assertThat(end.get("heapAfterGc").asLong()).as("heap after GC, bytes")
				.isLessThanOrEqualTo(heapWarm + Math.max(HEAP_FLOOR_BYTES, (long) (heapWarm * HEAP_TOLERANCE)));
			int threadsWarm = warm.get("liveThreads").asInt();
			assertThat(end.get("liveThreads").asInt())
				.as("live threads; after warm-up %s, at the end %s", warm.get("threadKinds"), end.get("threadKinds"))
				.isBetween(threadsWarm - slack(threadsWarm, THREAD_TOLERANCE, 3),
						threadsWarm + slack(threadsWarm, THREAD_TOLERANCE, 3));
			int fdsWarm = warm.get("openFds").asInt();
			assertThat(end.get("openFds").asInt()).as("open file descriptors")
				.isLessThanOrEqualTo(fdsWarm + slack(fdsWarm, FD_TOLERANCE, 3));

			long recorded = counts.last("windowsRecorded");
			long delivered = counts.last("tally.delivered");
			// One window per period from the start of the profiler, the last one cut by
			// the stop.
			assertThat(recorded).as("windows cut in %s", profiled)
				.isGreaterThanOrEqualTo(profiled.toSeconds() / PERIOD.toSeconds() - 1);
			assertThat(delivered + counts.last("windowsDropped")).as("windows delivered + dropped before export")
				.isEqualTo(recorded);
			assertThat(counts.last("upload.sent") + counts.last("upload.failed") + counts.droppedTotal())
				.as("uploaded + failed + dropped")
				.isEqualTo(delivered);
			// One try in five fails with 500 and is retried: every window gets through,
			// the last one
			// at worst dropped at shutdown if its retry falls past the stop budget.
			assertThat(counts.dropped().keySet()).isSubsetOf(DropReason.SHUTDOWN.value());
			assertThat(counts.last("upload.sent")).isGreaterThanOrEqualTo(delivered - 1);
			assertThat(counts.last("upload.retried")).isPositive();
			assertThat(intake.answers().get(200)).as("uploads the agent accepted")
				.isEqualTo(counts.last("upload.sent"));
			assertThat(running.get("state").asString()).isEqualTo("RUNNING");
		}
	}

	private static int slack(int base, double share, int floor) {
		return Math.max(floor, (int) Math.ceil(base * share));
	}

	private static String sample(long started, JsonNode vitals, long requests, long failures) {
		return String.format("| %5.1f | %d | %d | %.1f | %d | %d |", (System.nanoTime() - started) / 60e9, requests,
				failures, vitals.get("heapAfterGc").asLong() / 1048576.0, vitals.get("liveThreads").asInt(),
				vitals.get("openFds").asInt());
	}

	private static String summary(long requests, long failures, JsonNode warm, JsonNode end, FaultRun counts,
			FaultyIntake intake, Duration shutdown) {
		return String
			.format("requests %d, failed %d; windows cut %d, delivered to exporters %d, dropped before export %d; "
					+ "uploaded %d, failed %d, dropped %s, retries %d; agent answers %s; heap after GC %.1f -> %.1f MB, "
					+ "live threads %d -> %d, open fds %d -> %d; SIGTERM to exit %.1f s", requests, failures,
					counts.last("windowsRecorded"), counts.last("tally.delivered"), counts.last("windowsDropped"),
					counts.last("upload.sent"), counts.last("upload.failed"), counts.dropped(),
					counts.last("upload.retried"), intake.answers(), warm.get("heapAfterGc").asLong() / 1048576.0,
					end.get("heapAfterGc").asLong() / 1048576.0, warm.get("liveThreads").asInt(),
					end.get("liveThreads").asInt(), warm.get("openFds").asInt(), end.get("openFds").asInt(),
					shutdown.toMillis() / 1000.0);
	}

	private static void write(String report, List<String> samples, String summary) throws Exception {
		List<String> lines = new ArrayList<>();
		lines.add(summary);
		lines.add("");
		lines.add("| minute | requests so far | failed | heap after GC MB | live threads | open fds |");
		lines.add("|---|---|---|---|---|---|");
		lines.addAll(samples);
		Files.createDirectories(PackagedSample.reportDirectory());
		Files.write(PackagedSample.reportDirectory().resolve(report + ".md"), lines, StandardCharsets.UTF_8);
		System.out.println(String.join("\n", lines));
	}

}
