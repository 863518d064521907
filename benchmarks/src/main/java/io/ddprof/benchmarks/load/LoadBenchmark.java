package io.ddprof.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ddprof.testing.JavaProcess;

/**
 * The load benchmark: for each round, each configuration in turn (so that drift of the
 * machine falls on all of them alike) starts the packaged sample, warms it up under load,
 * measures it under the same load, reads its costs, stops it, and after each round writes
 * the report. Run with
 * {@code java -cp benchmarks/target/benchmarks.jar io.ddprof.benchmarks.load.LoadBenchmark --help}
 * or through {@code benchmarks/run.sh}.
 */
public final class LoadBenchmark {

	private static final Pattern PROFILER_CPU = Pattern.compile("\"profilerCpuMs\":([0-9.Ee+-]+)");

	private static final Pattern EVENTS = Pattern.compile("\"events\":(\\{[^}]*\\})");

	private static final Pattern TOTAL_SAMPLES = Pattern.compile("\"totalSamples\":\\{([^}]*)\\}");

	private static final Pattern COUNT = Pattern.compile("\"([a-z]+)\":(\\d+)");

	private static final Pattern SUMMARY_LINE = Pattern.compile("^\\s+(\\S+)\\s+(\\d+)\\s+\\d+\\s*$");

	/** Longest window of a ddprof configuration's warm-up. */
	private static final Duration WARM_UP_WINDOW = Duration.ofSeconds(30);

	/**
	 * Event types of async-profiler's JFR that are samples (the rest is metadata and
	 * periodic JVM events).
	 */
	private static final Set<String> SAMPLE_EVENTS = Set.of("jdk.ExecutionSample", "profiler.WallClockSample",
			"jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB", "jdk.ObjectAllocationSample",
			"profiler.LiveObject", "jdk.JavaMonitorEnter", "jdk.ThreadPark");

	// Hang guard: a cut window is normally uploaded within a second or two.
	private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(60);

	private final BenchmarkOptions options;

	private final Path javaHome = Path.of(System.getProperty("java.home"));

	private LoadBenchmark(BenchmarkOptions options) {
		this.options = options;
	}

	/**
	 * Runs the benchmark with {@code --key=value} arguments (see
	 * {@link BenchmarkOptions}).
	 */
	public static void main(String[] args) throws Exception {
		if (List.of(args).contains("--help")) {
			System.out.println(BenchmarkOptions.USAGE);
			return;
		}
		run(BenchmarkOptions.parse(args));
	}

	/** Runs every round and writes the report; returns the results of every run. */
	static List<RunResult> run(BenchmarkOptions options) throws IOException, InterruptedException {
		return new LoadBenchmark(options).run();
	}

	private List<RunResult> run() throws IOException, InterruptedException {
		Files.createDirectories(this.options.workDirectory());
		Configuration.Tools tools = new Configuration.Tools(extractAsyncProfiler(), this.options.ddJavaAgent(),
				this.options.pyroscopeAgent());
		List<String> loadBefore = ProcessMeter.loadAverage();
		Instant started = Instant.now();
		List<RunResult> results = new ArrayList<>();
		List<String> failures = new ArrayList<>();
		try (LocalIntake intake = new LocalIntake()) {
			for (int round = 1; round <= this.options.rounds(); round++) {
				for (Configuration configuration : this.options.configurations()) {
					log("round %d/%d, %s: starting", round, this.options.rounds(), configuration.id());
					try {
						RunResult result = runOnce(configuration, round, tools, intake);
						results.add(result);
						log("round %d/%d, %s: %.1f req/s, p50 %.2f ms, p99 %.2f ms, %.2f CPU ms/req, %d errors%s",
								round, this.options.rounds(), configuration.id(), result.load().throughput(),
								result.load().p50Micros() / 1000.0, result.load().p99Micros() / 1000.0,
								result.cpuSecondsPerRequest() * 1000, result.load().errors(),
								(result.load().firstError() != null) ? " (first: " + result.load().firstError() + ")"
										: "");
					}
					catch (IOException | RuntimeException ex) {
						String failure = "round " + round + ", " + configuration.id() + ": " + ex.getMessage();
						failures.add(failure);
						log("FAILED %s", failure);
					}
				}
				// After every round, so that an interrupted run still leaves the rounds
				// it finished.
				MarkdownReport report = new MarkdownReport(this.options, List.copyOf(results), List.copyOf(failures),
						loadBefore, ProcessMeter.loadAverage(), Duration.between(started, Instant.now()), javaVersion(),
						round);
				report.writeInto(this.options.output());
				log("report of %d round(s) written into %s", round, this.options.output());
			}
		}
		return results;
	}

	private RunResult runOnce(Configuration configuration, int round, Configuration.Tools tools, LocalIntake intake)
			throws IOException, InterruptedException {
		Path directory = this.options.workDirectory().resolve("round-" + round).resolve(configuration.id());
		Files.createDirectories(directory);
		Configuration.Launch launch = configuration.launch(tools, intake.url(), directory)
			.with(this.options.commonJvmArgs(), this.options.commonAppArgs());
		Files.deleteIfExists(directory.resolve("async-profiler.jfr"));
		int port = JavaProcess.freePort();
		intake.reset();
		Double samplesPerSecond = null;
		String samplesNote;
		Double windowCpuMillis = null;
		Double uploadCpuMillis = null;
		Long uploadBytes = null;
		Map<ProcessMeter.ThreadGroup, Double> cpuByThreads = new java.util.EnumMap<>(ProcessMeter.ThreadGroup.class);
		Map<ProcessMeter.ThreadGroup, Double> firstMinuteByThreads = new java.util.EnumMap<>(
				ProcessMeter.ThreadGroup.class);
		LoadResult measured;
		LoadResult firstMinute = null;
		double cpuSeconds;
		long peakRss;
		long heap;
		Instant stoppedAt;
		Instant startedAt;
		try (SampleProcess sample = SampleProcess.start(this.options.jarOf(configuration), launch, port,
				directory.resolve("sample.log"))) {
			startedAt = sample.startedAt();
			ProcessMeter meter = new ProcessMeter(sample.pid());
			LoadGenerator load = new LoadGenerator(new InetSocketAddress("127.0.0.1", port), this.options.mix(),
					this.options.connections());
			// ddprof re-plans its adaptive allocation interval at each cut, from the
			// allocation rate
			// averaged over about 30 s and from the samples the windows it read took:
			// cutting the
			// warm-up into windows of at most WARM_UP_WINDOW (at least two, the first
			// ending
			// start-up's) makes the measured phase a steady-state window, like every one
			// after the
			// first minutes in production. A warm-up of two minutes or more lets the plan
			// settle.
			// The first minute as production sees it after a deploy: no cut asked for,
			// ddprof on its own.
			// The benchmark's own requests (a cut, a status read) are the only POSTs the
			// sample
			// sees: the first one after the JIT compiled the request path for GETs alone
			// invalidates that code (uncommon traps in Tomcat's and Spring's request
			// handling, some
			// 100 C2 methods recompiled). Every configuration gets the same requests at
			// the same
			// moments, answered or not (404 without ddprof), once at start and at each
			// warm-up
			// cut, so that none pays for them in a measured phase.
			Window warmup = control(configuration, sample, intake, meter);
			Duration warmupLeft = this.options.warmup();
			if (this.options.startPhase()) {
				Duration skip = Duration.ofSeconds(BenchmarkOptions.START_PHASE_SKIP_SECONDS);
				load.run(skip);
				Map<ProcessMeter.ThreadGroup, Double> before = meter.cpuSecondsByThreadGroup();
				firstMinute = load.run(BenchmarkOptions.START_PHASE.minus(skip));
				perRequest(before, meter.cpuSecondsByThreadGroup(), firstMinute.requests(), firstMinuteByThreads);
				warmupLeft = warmupLeft.minus(BenchmarkOptions.START_PHASE);
				warmupLeft = warmupLeft.isNegative() ? Duration.ZERO : warmupLeft;
			}
			long windows = Math.max(2, ceilDiv(warmupLeft.toMillis(), WARM_UP_WINDOW.toMillis()));
			for (long i = 0; i < windows; i++) {
				load.run(warmupLeft.dividedBy(windows));
				warmup = control(configuration, sample, intake, meter);
			}
			double cpuBefore = meter.cpuSeconds();
			Map<ProcessMeter.ThreadGroup, Double> threadsBefore = meter.cpuSecondsByThreadGroup();
			measured = load.run(this.options.duration());
			cpuSeconds = meter.cpuSeconds() - cpuBefore;
			Map<ProcessMeter.ThreadGroup, Double> threadsAfter = meter.cpuSecondsByThreadGroup();
			perRequest(threadsBefore, threadsAfter, measured.requests(), cpuByThreads);
			if (warmup != null) {
				Window window = cutWindow(sample, intake, meter);
				Map<String, Long> samples = new LinkedHashMap<>();
				Map<String, Long> before = warmup.samples();
				window.samples().forEach((type, count) -> samples.put(type, count - before.getOrDefault(type, 0L)));
				double windowSeconds = seconds(Duration.between(warmup.cutAt(), window.cutAt()));
				samplesPerSecond = sum(samples) / windowSeconds;
				samplesNote = "ddprof status, the measured window: " + samples + " in " + Math.round(windowSeconds)
						+ " s, events " + window.events();
				windowCpuMillis = window.profilerCpuMillis() - warmup.profilerCpuMillis();
				uploadCpuMillis = window.uploadCpuMillis() - warmup.uploadCpuMillis();
				uploadBytes = window.uploadBytes();
			}
			else {
				samplesNote = null;
			}
			peakRss = meter.peakRssBytes();
			heap = meter.heapAfterGcBytes(this.javaHome.resolve("bin/jcmd"));
			sample.close();
			stoppedAt = Instant.now();
		}
		LocalIntake.Counts received = intake.reset();
		if (launch.jfr() != null) {
			Map<String, Long> events = jfrSamples(launch.jfr());
			double lifetime = seconds(Duration.between(startedAt, stoppedAt));
			samplesPerSecond = sum(events) / lifetime;
			samplesNote = "jfr summary " + events + " over the process's " + Math.round(lifetime) + " s";
		}
		else if (!configuration.ddprof() && configuration != Configuration.NONE) {
			samplesNote = "not counted: " + received.profileUploads() + " profile uploads, "
					+ (received.profileBytes() / 1024) + " KB received";
		}
		if (measured.requests() == 0) {
			throw new IOException("no request answered in the measured phase; first error: " + measured.firstError());
		}
		return new RunResult(configuration, round, measured, cpuSeconds / measured.requests(), peakRss, heap,
				samplesPerSecond, samplesNote, windowCpuMillis, uploadCpuMillis, uploadBytes, received, cpuByThreads,
				firstMinute, firstMinuteByThreads);
	}

	/**
	 * Cuts ddprof's current window, so that its samples count in the status, and waits
	 * until it is uploaded; returns the status then, with the upload threads' CPU time.
	 */
	/**
	 * Puts into {@code into} each thread group's CPU seconds between the two readings,
	 * per request.
	 */
	private static void perRequest(Map<ProcessMeter.ThreadGroup, Double> before,
			Map<ProcessMeter.ThreadGroup, Double> after, long requests, Map<ProcessMeter.ThreadGroup, Double> into) {
		long count = Math.max(1, requests);
		after.forEach(
				(group, seconds) -> into.put(group, Math.max(0, seconds - before.getOrDefault(group, 0.0)) / count));
	}

	private static long ceilDiv(long dividend, long divisor) {
		return (dividend + divisor - 1) / divisor;
	}

	/**
	 * The benchmark's control requests: for ddprof a cut and a status read
	 * ({@link #cutWindow}); for any other configuration the same two requests, which find
	 * no endpoint there.
	 * @return ddprof's status after the cut, or {@code null} for the other configurations
	 */
	private static Window control(Configuration configuration, SampleProcess sample, LocalIntake intake,
			ProcessMeter meter) throws IOException, InterruptedException {
		if (configuration.ddprof()) {
			return cutWindow(sample, intake, meter);
		}
		HttpResponse<String> cut = sample.postJson("/actuator/profiler", "{\"action\":\"cut\"}");
		HttpResponse<String> status = sample.get("/actuator/profiler");
		if (cut.statusCode() != 404 || status.statusCode() != 404) {
			throw new IOException("without ddprof, /actuator/profiler answered " + cut.statusCode() + " and "
					+ status.statusCode() + " instead of 404");
		}
		return null;
	}

	private static Window cutWindow(SampleProcess sample, LocalIntake intake, ProcessMeter meter)
			throws IOException, InterruptedException {
		long uploadsBefore = intake.profileUploads();
		long bytesBefore = intake.profileBytes();
		Instant cutAt = Instant.now();
		HttpResponse<String> cut = sample.postJson("/actuator/profiler", "{\"action\":\"cut\"}");
		if (cut.statusCode() != 200) {
			throw new IOException("cutting ddprof's window answered " + cut.statusCode() + ": " + cut.body());
		}
		long deadline = System.nanoTime() + UPLOAD_TIMEOUT.toNanos();
		while (intake.profileUploads() == uploadsBefore) {
			if (System.nanoTime() > deadline) {
				throw new IOException(
						"ddprof uploaded no window within " + UPLOAD_TIMEOUT.toSeconds() + "s of the cut");
			}
			Thread.sleep(50);
		}
		HttpResponse<String> status = sample.get("/actuator/profiler");
		if (status.statusCode() != 200) {
			throw new IOException("ddprof's status answered " + status.statusCode());
		}
		String body = status.body();
		return new Window(cutAt, counts(body), Double.parseDouble(match(PROFILER_CPU, body)),
				// Every backend's sender: ddprof-upload (Datadog), ddprof-upload-otlp,
				// ddprof-upload-pyroscope.
				meter.threadCpuSecondsStartingWith("ddprof-upload") * 1000, intake.profileBytes() - bytesBefore,
				match(EVENTS, body));
	}

	/**
	 * ddprof's status right after a window was cut and uploaded.
	 *
	 * @param cutAt when the cut was asked for
	 * @param samples samples of each type since the profiler started
	 * @param profilerCpuMillis CPU time of its rotation and export threads since it
	 * started
	 * @param uploadCpuMillis CPU time of its upload threads since they started
	 * @param uploadBytes bytes of the cut window's upload
	 * @param events the events and intervals of the window now recording
	 */
	private record Window(Instant cutAt, Map<String, Long> samples, double profilerCpuMillis, double uploadCpuMillis,
			long uploadBytes, String events) {
	}

	private Map<String, Long> jfrSamples(Path jfr) throws IOException, InterruptedException {
		if (!Files.isRegularFile(jfr)) {
			throw new IOException("async-profiler wrote no recording at " + jfr);
		}
		Process process = new ProcessBuilder(this.javaHome.resolve("bin/jfr").toString(), "summary", jfr.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IOException("jfr summary failed: " + output);
		}
		Map<String, Long> events = new LinkedHashMap<>();
		for (String line : output.split("\n")) {
			Matcher matcher = SUMMARY_LINE.matcher(line);
			if (matcher.matches() && SAMPLE_EVENTS.contains(matcher.group(1))) {
				events.merge(matcher.group(1), Long.parseLong(matcher.group(2)), Long::sum);
			}
		}
		return events;
	}

	private Path extractAsyncProfiler() throws IOException {
		String arch = System.getProperty("os.arch");
		String platform = (arch.equals("aarch64") || arch.equals("arm64")) ? "linux-arm64" : "linux-x64";
		Path library = this.options.workDirectory().resolve("libasyncProfiler.so");
		// The library ddprof itself loads: the async-profiler 4.6 jar from Maven Central.
		try (InputStream in = one.profiler.AsyncProfiler.class
			.getResourceAsStream("/" + platform + "/libasyncProfiler.so")) {
			if (in == null) {
				throw new IOException("the async-profiler jar holds no " + platform + " library");
			}
			Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
		}
		return library;
	}

	private String javaVersion() {
		return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
	}

	private static Map<String, Long> counts(String status) throws IOException {
		Map<String, Long> counts = new LinkedHashMap<>();
		Matcher pairs = COUNT.matcher(match(TOTAL_SAMPLES, status));
		while (pairs.find()) {
			counts.put(pairs.group(1), Long.parseLong(pairs.group(2)));
		}
		return counts;
	}

	private static long sum(Map<String, Long> counts) {
		return counts.values().stream().mapToLong(Long::longValue).sum();
	}

	private static String match(Pattern pattern, String text) throws IOException {
		Matcher matcher = pattern.matcher(text);
		if (!matcher.find()) {
			throw new IOException("no " + pattern + " in " + text);
		}
		return matcher.group(1);
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

	private static void log(String format, Object... args) {
		System.out.printf("[load-benchmark] " + format + "%n", args);
		System.out.flush();
	}

}
