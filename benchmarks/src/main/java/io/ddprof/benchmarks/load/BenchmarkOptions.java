package io.ddprof.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The load benchmark's parameters, from {@code --key=value} arguments. A full run and a
 * tiny run differ only in these.
 *
 * @param sampleJar the packaged sample application
 * @param warmup load before each measured phase
 * @param duration the measured phase
 * @param rounds how many times each configuration runs
 * @param configurations the configurations, in the order each round runs them
 * @param connections concurrent connections of the load
 * @param mix the request paths each connection sends in turn
 * @param output the Markdown file the report is written into
 * @param workDirectory where logs and recordings of each run go
 * @param ddJavaAgent the dd-java-agent jar, or {@code null}
 * @param pyroscopeAgent the Pyroscope agent jar, or {@code null}
 * @param previousJar another build of the sample, which {@code ddprof-previous} runs, or
 * {@code null}
 * @param virtualThreads whether every configuration serves requests on virtual threads
 * ({@code spring.threads.virtual.enabled}; the JVM running the benchmark must be 21 or
 * later)
 * @param samplingProbability the tracer's sampling probability for every configuration,
 * or {@code null} for the sample's own (1.0)
 * @param startPhase whether the first minute after start is measured as a phase of its
 * own (seconds {@value #START_PHASE_SKIP_SECONDS} to 60 after the sample is healthy,
 * before the warm-up)
 * @param maxHeap the {@code -Xmx} every configuration's sample runs with, or {@code null}
 * for the JVM's own sizing (a quarter of the machine's memory, which lets peak RSS follow
 * the collector's sizing more than the profiler)
 * @param extraJvmArgs JVM options every configuration's sample gets besides its own (for
 * diagnostic runs: native memory tracking, a log)
 * @param extraAppArgs application arguments every configuration's sample gets after its
 * own (for diagnostic runs: a {@code ddprof.*} setting to try)
 */
record BenchmarkOptions(Path sampleJar, Duration warmup, Duration duration, int rounds,
		List<Configuration> configurations, int connections, List<String> mix, Path output, Path workDirectory,
		Path ddJavaAgent, Path pyroscopeAgent, Path previousJar, boolean virtualThreads, Double samplingProbability,
		boolean startPhase, String maxHeap, List<String> extraJvmArgs, List<String> extraAppArgs) {

	/**
	 * The heap every configuration runs with unless {@code --max-heap} says otherwise: a
	 * bounded heap, as services run in production, so that RSS compares what the
	 * profilers add rather than how far the collector chose to grow the heap.
	 */
	static final String DEFAULT_MAX_HEAP = "1g";

	/**
	 * A CPU-bound request, an allocation-heavy one (32 MB of garbage) and a blocking one
	 * (2 ms).
	 */
	static final List<String> DEFAULT_MIX = List.of("/cpu?millis=1", "/alloc?mb=32", "/io?millis=2");

	/**
	 * Named mixes, {@code --mix=<name>}: the one the defaults were tuned on, and others
	 * that differ from it where allocation sampling and the JVM's heap sampler behave
	 * differently.
	 */
	static final Map<String, List<String>> NAMED_MIXES = namedMixes();

	/**
	 * Seconds after start not measured in the first-minute phase (the sample's own JIT
	 * warm-up).
	 */
	static final int START_PHASE_SKIP_SECONDS = 10;

	/** Length of the first-minute phase including the seconds skipped. */
	static final Duration START_PHASE = Duration.ofSeconds(60);

	static final String USAGE = """
			LoadBenchmark [--key=value ...]
			  --jar=PATH              the packaged sample (default: sample-app/target/sample-app-*.jar)
			  --warmup=SECONDS        load before each measured phase (default 120)
			  --duration=SECONDS      measured phase (default 30)
			  --rounds=N              rounds, each running every configuration once (default 3)
			  --configs=a,b,...|all   configurations (default all): %s
			  --connections=N         concurrent keep-alive connections (default 8)
			  --mix=NAME|p1,p2,...    a named mix (%s) or request paths, sent in turn (default: tuned)
			  --output=PATH           Markdown file the report goes into (default docs/benchmarks.md)
			  --work=PATH             logs and recordings (default benchmarks/target/load)
			  --dd-java-agent=JAR     needed by dd-profiling and dd-profiling-tracing
			  --pyroscope-agent=JAR   needed by pyroscope
			  --previous-jar=JAR      another build of the sample, run by ddprof-previous (to compare builds)
			  --virtual-threads=BOOL  serve requests on virtual threads in every configuration (Java 21+; default false)
			  --sampling-probability=P  the tracer's sampling probability, 0 to 1 (default: the sample's, 1.0)
			  --start-phase=BOOL      measure seconds 10 to 60 after start as a phase of its own, before the
			                          warm-up (which then counts from there; default false)
			  --max-heap=SIZE|none    -Xmx of every configuration's sample (default %s; none: the JVM's sizing)
			  --jvm-args="A B ..."    more JVM options for every configuration (diagnostic runs)
			  --app-args="A B ..."    more application arguments for every configuration (diagnostic runs)
			""".formatted(String.join(", ", Stream.of(Configuration.values()).map(Configuration::id).toList()),
			String.join(", ", NAMED_MIXES.keySet()), DEFAULT_MAX_HEAP);

	/** Reads {@code --key=value} arguments. */
	static BenchmarkOptions parse(String... args) throws IOException {
		Map<String, String> values = new LinkedHashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Expected --key=value, got '" + arg + "'\n" + USAGE);
			}
			values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		List<String> known = List.of("jar", "warmup", "duration", "rounds", "configs", "connections", "mix", "output",
				"work", "dd-java-agent", "pyroscope-agent", "previous-jar", "virtual-threads", "sampling-probability",
				"start-phase", "max-heap", "jvm-args", "app-args");
		for (String key : values.keySet()) {
			if (!known.contains(key)) {
				throw new IllegalArgumentException("Unknown option --" + key + "\n" + USAGE);
			}
		}
		String configs = values.getOrDefault("configs", "all");
		Path previousJar = path(values.get("previous-jar"));
		// "all" takes ddprof-previous only when there is a previous build to run.
		List<Configuration> configurations = configs.equals("all") ? Stream.of(Configuration.values())
			.filter((configuration) -> configuration != Configuration.DDPROF_PREVIOUS || previousJar != null)
			.toList() : Arrays.stream(configs.split(",")).map(String::trim).map(Configuration::of).toList();
		if (configurations.contains(Configuration.DDPROF_PREVIOUS) && previousJar == null) {
			throw new IllegalArgumentException("Configuration 'ddprof-previous' needs --previous-jar=<jar>");
		}
		boolean virtualThreads = Boolean.parseBoolean(values.getOrDefault("virtual-threads", "false"));
		if (virtualThreads && Runtime.version().feature() < 21) {
			throw new IllegalArgumentException(
					"--virtual-threads=true needs Java 21 or later to run the sample; this is " + Runtime.version()
							+ " (the sample runs on the benchmark's own JVM)");
		}
		Double samplingProbability = null;
		if (values.containsKey("sampling-probability")) {
			samplingProbability = Double.parseDouble(values.get("sampling-probability"));
			if (!(samplingProbability >= 0 && samplingProbability <= 1)) {
				throw new IllegalArgumentException(
						"--sampling-probability must be from 0 to 1, was " + values.get("sampling-probability"));
			}
		}
		return new BenchmarkOptions(
				values.containsKey("jar") ? Path.of(values.get("jar")) : findSampleJar(Path.of("sample-app", "target")),
				Duration.ofSeconds(positive(values, "warmup", 120)),
				Duration.ofSeconds(positive(values, "duration", 30)), (int) positive(values, "rounds", 3),
				configurations, (int) positive(values, "connections", 8), mix(values.getOrDefault("mix", "tuned")),
				Path.of(values.getOrDefault("output", "docs/benchmarks.md")),
				Path.of(values.getOrDefault("work", "benchmarks/target/load")), path(values.get("dd-java-agent")),
				path(values.get("pyroscope-agent")), previousJar, virtualThreads, samplingProbability,
				Boolean.parseBoolean(values.getOrDefault("start-phase", "false")), maxHeap(values.get("max-heap")),
				words(values.get("jvm-args")), words(values.get("app-args")));
	}

	private static String maxHeap(String value) {
		if (value == null) {
			return DEFAULT_MAX_HEAP;
		}
		if (value.equals("none")) {
			return null;
		}
		if (!value.matches("[0-9]+[kKmMgG]?")) {
			throw new IllegalArgumentException(
					"--max-heap must be a size as -Xmx takes it (512m, 1g) or none, was '" + value + "'");
		}
		return value;
	}

	private static List<String> words(String value) {
		return (value == null || value.isBlank()) ? List.of() : List.of(value.trim().split("\\s+"));
	}

	/** A named mix, or request paths. */
	static List<String> mix(String value) {
		List<String> named = NAMED_MIXES.get(value);
		if (named != null) {
			return named;
		}
		if (!value.startsWith("/")) {
			throw new IllegalArgumentException("--mix must name a mix (" + String.join(", ", NAMED_MIXES.keySet())
					+ ") or list request paths starting with /, was '" + value + "'");
		}
		return List.of(value.split(","));
	}

	/** The name of the mix in use, or {@code null} for paths given one by one. */
	String mixName() {
		return NAMED_MIXES.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().equals(this.mix))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse(null);
	}

	private static Map<String, List<String>> namedMixes() {
		Map<String, List<String>> mixes = new LinkedHashMap<>();
		mixes.put("tuned", DEFAULT_MIX);
		// 32 MB in 16 KB arrays of which one in 64 stays reachable for seconds in a
		// bounded list.
		mixes.put("survivors", List.of("/cpu?millis=1", "/alloc?mb=32&chunk=16384&retain=64", "/io?millis=2"));
		// 8 MB in 64-byte arrays: many small objects, all in TLABs.
		mixes.put("small", List.of("/cpu?millis=1", "/alloc?mb=8&chunk=64", "/io?millis=2"));
		// 32 MB in 1 MB arrays: every one outside a TLAB, where the heap sampler before
		// JDK 25 oversamples.
		mixes.put("large", List.of("/cpu?millis=1", "/alloc?mb=32&chunk=1048576", "/io?millis=2"));
		return Collections.unmodifiableMap(mixes);
	}

	/**
	 * Arguments every configuration's sample gets: the threads requests run on, the
	 * tracer's sampling.
	 */
	List<String> commonAppArgs() {
		List<String> args = new ArrayList<>(this.extraAppArgs);
		if (this.virtualThreads) {
			args.add("--spring.threads.virtual.enabled=true");
		}
		if (this.samplingProbability != null) {
			args.add("--management.tracing.sampling.probability=" + this.samplingProbability);
		}
		return args;
	}

	/** JVM options every configuration's sample gets: the heap bound, the extra ones. */
	List<String> commonJvmArgs() {
		List<String> args = new ArrayList<>();
		if (this.maxHeap != null) {
			args.add("-Xmx" + this.maxHeap);
		}
		args.addAll(this.extraJvmArgs);
		return args;
	}

	/** The jar {@code configuration} runs. */
	Path jarOf(Configuration configuration) {
		return (configuration == Configuration.DDPROF_PREVIOUS) ? this.previousJar : this.sampleJar;
	}

	/** The repackaged sample jar in {@code directory}. */
	static Path findSampleJar(Path directory) throws IOException {
		List<Path> jars = new ArrayList<>();
		if (Files.isDirectory(directory)) {
			try (Stream<Path> files = Files.list(directory)) {
				files.filter((file) -> file.getFileName().toString().matches("sample-app-.*\\.jar"))
					.filter((file) -> !file.getFileName().toString().endsWith(".original"))
					.forEach(jars::add);
			}
		}
		if (jars.size() != 1) {
			throw new IllegalArgumentException("Expected one sample-app-*.jar in " + directory + ", found " + jars
					+ "; build it with mvn -B -pl sample-app -am package -DskipTests, or pass --jar=");
		}
		return jars.get(0);
	}

	private static long positive(Map<String, String> values, String key, long defaultValue) {
		long value = values.containsKey(key) ? Long.parseLong(values.get(key)) : defaultValue;
		if (value <= 0) {
			throw new IllegalArgumentException("--" + key + " must be positive, was " + value);
		}
		return value;
	}

	private static Path path(String value) {
		return (value != null && !value.isBlank()) ? Path.of(value) : null;
	}

}
