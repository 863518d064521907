package io.ddprof.sample.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.ddprof.export.upload.DropReason;
import io.ddprof.sample.LoadDriver;
import io.ddprof.sample.PackagedSample;
import io.ddprof.testing.FaultyIntake;
import io.ddprof.testing.JavaProcess;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.ddprof.sample.reliability.FaultScenario.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole sample application under one fault at a time, from a table. Each row starts
 * the packaged sample as its own process (windows of 2 s, a local directory, uploads to a
 * loopback agent that misbehaves as the row says), drives a light load through a warm-up
 * and a fault phase, and checks what every row promises: the application keeps serving
 * (no failed request), heap after GC, live threads and open file descriptors stay
 * bounded, every window cut is exported or counted as dropped with a reason, the log says
 * what happened once and without a stack trace, and SIGTERM ends the process in bounded
 * time. Then the row's own checks. Each row's numbers go to
 * {@code target/reliability/faults.md}, its output to
 * {@code target/reliability/<row>.log}.
 */
@Tag("fault")
class FaultSuiteIT {

	private static final Duration PERIOD = Duration.ofSeconds(2);

	private static final Duration WARM_UP = Duration.ofSeconds(5);

	private static final Duration FAULT_PHASE = Duration.ofSeconds(10);

	private static final int CONCURRENCY = 2;

	/**
	 * Heap after GC may grow by this much, or by {@link #HEAP_SLACK_RATIO}, whichever is
	 * more.
	 */
	private static final long HEAP_SLACK_BYTES = 16L << 20;

	private static final double HEAP_SLACK_RATIO = 0.20;

	/**
	 * Live threads may grow by this many (a pool thread started late, an HTTP client's
	 * selector).
	 */
	private static final int THREAD_SLACK = 3;

	private static final int FD_SLACK = 8;

	/**
	 * The profiler's stop takes at most min(ddprof.upload.timeout, 10 s); the JVM's exit
	 * adds a little.
	 */
	private static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(20);

	private static final Pattern DIGITS = Pattern.compile("\\d+");

	private static final List<String> REPORT = new ArrayList<>();

	@TempDir
	static Path temp;

	/** The table, or the rows named in {@code -Dfault.rows=a,b} only. */
	static Stream<FaultScenario> scenarios() {
		List<String> only = List.of(System.getProperty("fault.rows", "").split(","));
		return table().filter((row) -> only.equals(List.of("")) || only.contains(row.name()));
	}

	private static Stream<FaultScenario> table() {
		return Stream.of(row("agent-refuses", "no agent listens: every upload is refused",
				"uploads retried with backoff then dropped as expired or queue-full; one log line")
			.agent(FaultScenario.Agent.refusing())
			.check((run) -> {
				assertThat(run.last("upload.sent")).isZero();
				assertThat(run.dropped().keySet()).isSubsetOf(DropReason.EXPIRED.value(), DropReason.QUEUE_FULL.value(),
						DropReason.SHUTDOWN.value());
				assertThat(run.logLines("could not upload profile")).isOne();
				assertLocalHoldsEveryWindow(run);
			}), row("agent-slow", "the agent answers 200 only after 3 s, past ddprof.upload.timeout=1s",
					"each try times out and is retried, then dropped; shutdown bounded by the 1 s timeout")
				.agent(() -> FaultyIntake.answeringAfter(Duration.ofSeconds(3)))
				.setup((dir) -> FaultScenario.Launch.arguments("--ddprof.upload.timeout=1s"))
				.check((run) -> {
					assertThat(run.last("upload.sent")).isZero();
					assertThat(run.last("upload.retried")).isPositive();
					assertThat(run.dropped().keySet()).isSubsetOf(DropReason.EXPIRED.value(),
							DropReason.QUEUE_FULL.value(), DropReason.SHUTDOWN.value());
					assertThat(run.logLines("could not upload profile")).isOne();
					assertThat(run.shutdown).isLessThan(Duration.ofSeconds(10));
				}),
				row("agent-flaps", "the agent answers 500 and 200 in turn",
						"every window is sent after a retry; one log line for the 500s")
					.agent(() -> FaultyIntake.answering((n) -> (n % 2 == 1) ? 500 : 200))
					.check((run) -> {
						assertThat(run.last("upload.retried")).isPositive();
						assertThat(run.dropped().keySet()).isSubsetOf(DropReason.SHUTDOWN.value());
						assertThat(run.last("upload.sent")).isGreaterThanOrEqualTo(run.last("tally.delivered") - 1);
						assertThat(run.logLines("HTTP 500")).isOne();
					}),
				rejecting(413, "too large (HTTP 413)"), rejecting(403, "refused the API key (HTTP 403)"),
				rejecting(404, "does not accept profiles (HTTP 404)"),
				row("agent-resets", "the agent reads 4 KB of each upload, then resets the connection",
						"each try fails as an I/O error and is retried, then dropped; one log line")
					.agent(() -> FaultyIntake.resettingAfter(4096))
					.check((run) -> {
						assertThat(run.intake.resets()).isPositive();
						assertThat(run.last("upload.sent")).isZero();
						assertThat(run.last("upload.retried")).isPositive();
						assertThat(run.logLines("could not upload profile")).isOne();
					}),
				row("local-read-only", "ddprof.local.directory lies below a regular file (unwritable, even for root)",
						"no local file, every window still uploaded; one log line")
					.setup((dir) -> {
						Files.writeString(dir.resolve("a-file"), "not a directory");
						return FaultScenario.Launch
							.arguments("--ddprof.local.directory=" + dir.resolve("a-file/profiles"));
					})
					.check((run) -> {
						assertUploaded(run);
						assertThat(run.last("local.files")).isZero();
						assertThat(run.logLines("exporter 'local' failed")).isOne();
					}),
				row("local-disk-full", "ddprof.local.directory is a 128 KB tmpfs that fills up after a window or two",
						"windows that do not fit are not kept, leave no partial file behind, and are still uploaded; one log line")
					.setup((dir) -> FaultScenario.Launch
						.arguments("--ddprof.local.directory=" + Tmpfs.mount(dir.resolve("small-disk"), "128k")))
					.check((run) -> {
						assertUploaded(run);
						assertThat(filesIn(run.directory.resolve("small-disk"))).as("files on the full disk")
							.noneMatch((name) -> name.endsWith(".part"))
							.hasSizeLessThan((int) run.last("tally.delivered"));
						assertThat(run.logLines("exporter 'local' failed")).isOne();
					}),
				row("local-replaced-by-file",
						"the local directory is deleted and a regular file put in its place mid-run",
						"the local copies stop, every window is still uploaded; one log line")
					.during((run) -> {
						deleteTree(run.local);
						Files.writeString(run.local, "not a directory any more");
					})
					.check((run) -> {
						assertUploaded(run);
						assertThat(run.logLines("exporter 'local' failed")).isOne();
					}),
				row("temp-disk-full",
						"ddprof.temp-directory is a 1 MB tmpfs: recordings, history and upload spool fill it",
						"the application serves; every window cut is exported or counted as dropped; the log says so once")
					.setup((dir) -> FaultScenario.Launch
						.arguments("--ddprof.temp-directory=" + Tmpfs.mount(dir.resolve("small-temp"), "1m")))
					.check((run) -> {
						// Profiling goes on window after window: a full disk costs
						// windows, counted, not the profiler.
						assertThat(run.last("windowsRecorded")).isGreaterThanOrEqualTo(6);
						assertThat(run.last("windowsDropped") + run.droppedTotal()).as("windows lost or not uploaded")
							.isPositive();
						assertThat(run.live.get("problems").size()).as("problems reported").isPositive();
					}),
				row("temp-read-only", "ddprof.temp-directory lies below a regular file",
						"the profiler does not record and says why once; the application serves")
					.setup((dir) -> {
						Files.writeString(dir.resolve("a-file"), "not a directory");
						return FaultScenario.Launch.arguments("--ddprof.temp-directory=" + dir.resolve("a-file/work"));
					})
					.check((run) -> {
						assertThat(run.live.get("engineReason").asString())
							.contains("could not prepare a working directory");
						assertThat(run.running("windowsRecorded")).isZero();
						assertThat(run.finalStatus).isNull();
						assertThat(run.logLines("could not prepare a working directory")).isOne();
					}),
				row("native-library-unavailable",
						"async-profiler's native library fails to load (-Done.profiler.libraryPath= a file that is not a library)",
						"the JDK Flight Recorder engine takes over, says why, and every window is uploaded")
					.setup((dir) -> {
						Path notALibrary = Files.writeString(dir.resolve("libasyncProfiler.so"), "not a library");
						return FaultScenario.Launch.jvmOptions("-Done.profiler.libraryPath=" + notALibrary);
					})
					.check((run) -> {
						assertThat(run.finalStatus.get("engine").asString()).isEqualTo("jfr");
						assertThat(run.finalStatus.get("engineReason").asString())
							.contains("native library did not load");
						assertUploaded(run);
						assertThat(run.logLines("using the JDK Flight Recorder instead")).isOne();
						// A degraded start stands out in the log.
						assertThat(run.warnings("using the JDK Flight Recorder instead")).isOne();
						assertLocalHoldsEveryWindow(run);
					}),
				row("async-profiler-started-by-agent",
						"async-profiler already runs in the JVM: -agentpath:libasyncProfiler.so=start,event=cpu,file=other.jfr",
						"ddprof records with JFR instead, says why once, and leaves the other recording alone")
					.setup((dir) -> FaultScenario.Launch.jvmOptions("-agentpath:" + extractAsyncProfiler(dir)
							+ "=start,event=cpu,interval=10ms,file=" + dir.resolve("other.jfr")))
					.check((run) -> {
						assertThat(run.finalStatus.get("engine").asString()).isEqualTo("jfr");
						assertThat(run.finalStatus.get("engineReason").asString()).contains("already started");
						assertUploaded(run);
						assertThat(run.warnings("async-profiler could not start")).isOne();
						assertThat(RecordingFile.readAllEvents(run.directory.resolve("other.jfr")))
							.as("the other profiler's recording")
							.anyMatch((event) -> event.getEventType().getName().equals("jdk.ExecutionSample"));
					}),
				row("second-profiler", "a second Profiler is started in the same JVM, beside the application's",
						"the second one does not record and says why; the first goes on untouched")
					.during((run) -> run.result = run.app.get("/probe/second-profiler"))
					.check((run) -> {
						assertThat(run.result.get("engine").asString()).isEqualTo("none");
						assertThat(run.result.get("engineReason").asString())
							.contains("another ddprof Profiler is already running");
						assertThat(run.finalStatus.get("engine").asString()).isEqualTo("async-profiler");
						assertUploaded(run);
						assertThat(run.logLines("another ddprof Profiler is already running")).isOne();
					}),
				row("stop-during-upload", "the agent reads each upload and never answers; SIGTERM comes meanwhile",
						"the stop gives up on the hanging upload within its 10 s budget and counts it dropped at shutdown")
					.agent(FaultyIntake::hanging)
					.check((run) -> {
						assertThat(run.last("upload.sent")).isZero();
						assertThat(run.dropped()).containsKey(DropReason.SHUTDOWN.value());
						assertThat(run.logLines("before the shutdown deadline")).isOne();
						assertThat(localSnapshots(run, "on_shutdown")).isOne();
					}),
				row("shutdown-agent-down", "the agent takes uploads, then goes away just before SIGTERM",
						"the last window is kept locally and counted dropped; the stop stays within its budget")
					.beforeStop((run) -> run.intake.close())
					.check((run) -> {
						assertThat(run.intake.acceptedBySnapshot()).doesNotContainKey("on_shutdown");
						assertThat(run.dropped().keySet()).isNotEmpty()
							.isSubsetOf(DropReason.SHUTDOWN.value(), DropReason.EXPIRED.value());
						assertThat(localSnapshots(run, "on_shutdown")).isOne();
						assertLocalHoldsEveryWindow(run);
					}),
				pipelinesFailing(),
				row("thousands-of-endpoints",
						"every request reports 20 spans, each a new trace with a new endpoint and span id",
						"per-endpoint totals stay capped at 100 per window; heap stays bounded")
					.mix(List.of("/probe/spans?count=20&millis=12", "/cpu?millis=5", "/io"))
					.check((run) -> {
						assertThat(run.running("endpointsGenerated")).isGreaterThan(1000);
						assertThat(run.running("lastWindow.endpoints")).isEqualTo(100);
						assertThat(run.running("lastWindow.endpointsLeftOut")).isPositive();
						assertUploaded(run);
					}),
				row("thread-churn", "every request starts and ends 50 threads",
						"live threads return to where they were; every window uploaded")
					.mix(List.of("/probe/threads?count=50", "/cpu?millis=5", "/io"))
					.check((run) -> {
						assertThat(run.running("threadsGenerated")).isGreaterThan(5000);
						assertUploaded(run);
					}));
	}

	/**
	 * The OTLP Collector reads each request and never answers (past
	 * {@code ddprof.otlp.timeout=1s}), Pyroscope refuses the credentials: both counted
	 * and said once each, while the Datadog upload, with its own queue, goes on as if
	 * they were not there.
	 */
	private static FaultScenario pipelinesFailing() {
		FaultyIntake[] backends = new FaultyIntake[2];
		return row("pipelines-failing",
				"the OTLP Collector never answers (ddprof.otlp.timeout=1s) and Pyroscope answers 401",
				"every window still uploaded to the agent; OTLP windows retried then dropped, Pyroscope windows failed at once; one log line each")
			.setup((dir) -> {
				backends[0] = FaultyIntake.hanging();
				backends[1] = FaultyIntake.answering((n) -> 401);
				return FaultScenario.Launch
					.arguments("--ddprof.otlp.endpoint=" + backends[0].url(), "--ddprof.otlp.timeout=1s",
							"--ddprof.pyroscope.url=" + backends[1].url(),
							"--ddprof.pyroscope.basic-auth.username=123456",
							"--ddprof.pyroscope.basic-auth.password=not-a-real-password")
					.closing(backends);
			})
			.check((run) -> {
				assertUploaded(run);
				long delivered = run.last("tally.delivered");
				assertThat(run.last("pipelines.otlp.sent")).isZero();
				assertThat(run.last("pipelines.otlp.retried")).isPositive();
				assertThat(run.last("pipelines.otlp.failed") + run.pipelineDroppedTotal("otlp"))
					.as("OTLP windows failed + dropped")
					.isEqualTo(delivered);
				assertThat(run.last("pipelines.pyroscope.failed")).as("Pyroscope windows failed").isEqualTo(delivered);
				assertThat(run.last("pipelines.pyroscope.retried")).isZero();
				assertThat(backends[1].requests()).isEqualTo(delivered);
				assertThat(run.logLines("could not upload profile")).as("OTLP timeout lines").isOne();
				assertThat(run.logLines("(ddprof.otlp.timeout)")).isOne();
				assertThat(run.logLines("with HTTP 401")).as("Pyroscope refusal lines").isOne();
				assertThat(run.app.logLines()).noneMatch((line) -> line.contains("not-a-real-password"));
			});
	}

	private static FaultScenario rejecting(int status, String message) {
		return row("agent-" + status, "the agent answers every upload with " + status,
				"each window is failed at once, never retried; one log line saying what to check")
			.agent(() -> FaultyIntake.answering((n) -> status))
			.check((run) -> {
				assertThat(run.last("upload.failed")).isEqualTo(run.last("tally.delivered"));
				assertThat(run.last("upload.retried")).isZero();
				assertThat(run.logLines(message)).isOne();
			});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("scenarios")
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void theApplicationServesAndEveryWindowIsAccountedFor(FaultScenario scenario) throws Exception {
		Path directory = Files.createDirectories(temp.resolve(scenario.name()));
		Path local = directory.resolve("profiles");
		FaultScenario.Launch launch = scenario.setup().prepare(directory);
		FaultyIntake intake = scenario.agent().open();
		Map<String, String> arguments = new LinkedHashMap<>();
		arguments.put("ddprof.upload.period", PERIOD.toSeconds() + "s");
		arguments.put("ddprof.local.directory", local.toString());
		arguments.put("ddprof.temp-directory", directory.resolve("work").toString());
		arguments.put("ddprof.upload.enabled", "true");
		arguments.put("ddprof.agent.url",
				(intake != null) ? intake.url() : "http://127.0.0.1:" + JavaProcess.freePort());
		arguments.put(FaultProbe.FINAL_STATUS_PROPERTY, directory.resolve("final-status.json").toString());
		// A row's own arguments replace the defaults: Spring would join two values of one
		// key with a comma.
		for (String argument : launch.arguments()) {
			String[] keyValue = argument.substring(2).split("=", 2);
			arguments.put(keyValue[0], keyValue[1]);
		}
		Path log = PackagedSample.reportDirectory().resolve(scenario.name() + ".log");
		try (JavaProcess app = PackagedSample.startWithProbe(launch.jvmOptions(),
				arguments.entrySet().stream().map((entry) -> "--" + entry.getKey() + "=" + entry.getValue()).toList(),
				Map.of(), log)) {
			FaultRun run = new FaultRun(scenario, directory, local, app, intake);
			try {
				app.awaitHealthy();
				run.warmUp = new LoadDriver(app.base(), WARM_UP, CONCURRENCY, scenario.mix()).run();
				// The baseline once two windows went through every exporter: the upload
				// client's
				// threads and pools exist by then, on a loaded machine too.
				awaitDelivered(app, 2);
				run.before = app.get("/probe/vitals");
				CompletableFuture<Void> during = CompletableFuture.runAsync(() -> act(scenario.during(), run));
				run.load = new LoadDriver(app.base(), FAULT_PHASE, CONCURRENCY, scenario.mix()).run();
				during.get(60, TimeUnit.SECONDS);
				// Status first: the vitals take a few seconds, and the last window must
				// be one cut under load.
				run.live = app.get("/probe/status");
				run.after = app.get("/probe/vitals");
				act(scenario.beforeStop(), run);
				run.shutdown = app.terminate();
				Path finalStatus = directory.resolve("final-status.json");
				run.finalStatus = Files.exists(finalStatus)
						? JsonMapper.builder().build().readTree(finalStatus.toFile()) : null;
				report(run);
				checkWhatEveryRowPromises(run);
				scenario.check().verify(run);
			}
			catch (AssertionError | Exception ex) {
				throw new AssertionError(scenario.name() + ": " + ex.getMessage() + "\n--- status while running: "
						+ run.live + "\n--- at shutdown: " + run.finalStatus + "\n--- log tail:\n" + app.logTail(), ex);
			}
		}
		finally {
			if (intake != null) {
				intake.close();
			}
			for (AutoCloseable resource : launch.resources()) {
				resource.close();
			}
			Tmpfs.unmountAll();
		}
	}

	private static void awaitDelivered(JavaProcess app, long windows) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode status = app.get("/probe/status");
			// A row where the profiler cannot record has no window to wait for.
			if (status.path("tally").path("delivered").asLong() >= windows
					|| !status.path("state").asString().equals("RUNNING")) {
				return;
			}
			Thread.sleep(250);
		}
	}

	private static void act(FaultScenario.Action action, FaultRun run) {
		if (action == null) {
			return;
		}
		try {
			action.run(run);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void checkWhatEveryRowPromises(FaultRun run) throws IOException {
		assertThat(run.failures()).as("failed requests of %d", run.requests()).isZero();
		assertThat(run.requests()).isPositive();
		long heapBefore = run.before.get("heapAfterGc").asLong();
		assertThat(run.after.get("heapAfterGc").asLong()).as("heap after GC, bytes")
			.isLessThanOrEqualTo(heapBefore + Math.max(HEAP_SLACK_BYTES, (long) (heapBefore * HEAP_SLACK_RATIO)));
		assertThat(run.after.get("liveThreads").asInt())
			.as("live threads; before %s, after %s", run.before.get("threadKinds"), run.after.get("threadKinds"))
			.isLessThanOrEqualTo(run.before.get("liveThreads").asInt() + THREAD_SLACK);
		assertThat(run.after.get("openFds").asInt()).as("open file descriptors")
			.isLessThanOrEqualTo(run.before.get("openFds").asInt() + FD_SLACK);
		assertThat(run.app.exitCode()).as("exit code after SIGTERM").isEqualTo(143);
		assertThat(run.shutdown).as("time from SIGTERM to exit").isLessThan(SHUTDOWN_BOUND);
		List<String> lines = run.app.logLines();
		assertThat(lines).as("stack traces in the log").noneMatch((line) -> line.startsWith("\tat "));
		assertThat(lines).as("errors in the log").noneMatch((line) -> line.contains(" ERROR "));
		Map<String, Integer> warnings = new HashMap<>();
		for (String line : lines) {
			int at = line.indexOf("ddprof: ");
			if (line.contains(" WARN ") && at >= 0) {
				warnings.merge(DIGITS.matcher(line.substring(at)).replaceAll("#"), 1, Integer::sum);
			}
		}
		assertThat(warnings).as("ddprof warnings logged more than once")
			.allSatisfy((line, count) -> assertThat(count).as(line).isOne());
		if (run.finalStatus != null) {
			long recorded = run.last("windowsRecorded");
			long delivered = run.last("tally.delivered");
			assertThat(recorded).as("windows recorded").isPositive();
			assertThat(delivered + run.last("windowsDropped")).as("windows delivered + dropped before export")
				.isEqualTo(recorded);
			assertThat(run.last("tally.maxSequence")).as("highest window sequence delivered")
				.isLessThanOrEqualTo(recorded);
			if (run.finalStatus.has("upload")) {
				assertThat(run.last("upload.sent") + run.last("upload.failed") + run.droppedTotal())
					.as("uploads sent + failed + dropped")
					.isEqualTo(delivered);
				assertThat(run.last("upload.queueDepth")).isZero();
				if (run.intake != null) {
					assertThat(run.intake.acceptedTotal()).as("uploads the agent accepted")
						.isGreaterThanOrEqualTo(run.last("upload.sent"));
				}
			}
		}
	}

	/**
	 * Every window reached the healthy agent, but for those a loaded machine kept waiting
	 * past their maximum age (counted as expired or queue-full) or that the stop cut
	 * short.
	 */
	private static void assertUploaded(FaultRun run) {
		assertThat(run.last("upload.failed")).isZero();
		assertThat(run.dropped().keySet()).isSubsetOf(DropReason.EXPIRED.value(), DropReason.QUEUE_FULL.value(),
				DropReason.SHUTDOWN.value());
		assertThat(run.last("upload.sent")).isPositive()
			.isGreaterThanOrEqualTo(run.last("tally.delivered") - run.droppedTotal());
	}

	private static void assertLocalHoldsEveryWindow(FaultRun run) throws IOException {
		assertThat(run.localFiles()).as("local window files").hasSize((int) run.last("tally.delivered"));
	}

	private static List<String> filesIn(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

	private static void deleteTree(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	private static long localSnapshots(FaultRun run, String snapshot) throws IOException {
		return run.localFiles()
			.stream()
			.filter((file) -> file.getFileName().toString().endsWith(snapshot + ".jfr"))
			.count();
	}

	private static Path extractAsyncProfiler(Path dir) throws IOException {
		String arch = System.getProperty("os.arch").contains("64") && !System.getProperty("os.arch").contains("aarch")
				? "linux-x64" : "linux-arm64";
		Path library = dir.resolve("libasyncProfiler.so");
		try (InputStream in = one.profiler.AsyncProfiler.class
			.getResourceAsStream("/" + arch + "/libasyncProfiler.so")) {
			assertThat(in).as("async-profiler's native library for " + arch).isNotNull();
			Files.copy(in, library);
		}
		return library;
	}

	private static void report(FaultRun run) {
		JsonNode b = run.before;
		JsonNode a = run.after;
		REPORT.add(String.format(
				"| %s | %d | %d | %d | %d | %d | %d | %d | %s | %d | %.0f → %.0f | %d → %d | %d → %d | %.1f |",
				run.scenario.name(), run.requests(), run.failures(), run.last("windowsRecorded"),
				run.last("tally.delivered"), run.last("windowsDropped"), run.last("upload.sent"),
				run.last("upload.failed"), run.dropped(), run.last("upload.retried"),
				b.get("heapAfterGc").asLong() / 1048576.0, a.get("heapAfterGc").asLong() / 1048576.0,
				b.get("liveThreads").asInt(), a.get("liveThreads").asInt(), b.get("openFds").asInt(),
				a.get("openFds").asInt(), run.shutdown.toMillis() / 1000.0));
	}

	@BeforeAll
	static void startReport() throws IOException {
		Files.createDirectories(PackagedSample.reportDirectory());
	}

	@AfterAll
	static void writeReport() throws IOException {
		List<String> lines = new ArrayList<>();
		lines.add("| row | requests | failed | windows cut | delivered | dropped before export | sent | failed | "
				+ "dropped (by reason) | retries | heap after GC MB | live threads | open fds | shutdown s |");
		lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
		lines.addAll(REPORT);
		Files.write(PackagedSample.reportDirectory().resolve("faults.md"), lines, StandardCharsets.UTF_8,
				StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
		System.out.println(String.join("\n", lines));
	}

}
