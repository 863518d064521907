package io.ddprof.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The load benchmark's parameters, from {@code --key=value} arguments. A full run and a tiny run
 * differ only in these.
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
 * @param previousJar another build of the sample, which {@code ddprof-previous} runs, or {@code null}
 * @param virtualThreads whether every configuration serves requests on virtual threads
 * ({@code spring.threads.virtual.enabled}; the JVM running the benchmark must be 21 or later)
 * @param samplingProbability the tracer's sampling probability for every configuration, or
 * {@code null} for the sample's own (1.0)
 */
record BenchmarkOptions(Path sampleJar, Duration warmup, Duration duration, int rounds,
		List<Configuration> configurations, int connections, List<String> mix, Path output, Path workDirectory,
		Path ddJavaAgent, Path pyroscopeAgent, Path previousJar, boolean virtualThreads, Double samplingProbability) {

	/** A CPU-bound request, an allocation-heavy one (32 MB of garbage) and a blocking one (2 ms). */
	static final List<String> DEFAULT_MIX = List.of("/cpu?millis=1", "/alloc?mb=32", "/io?millis=2");

	static final String USAGE = """
			LoadBenchmark [--key=value ...]
			  --jar=PATH              the packaged sample (default: sample-app/target/sample-app-*.jar)
			  --warmup=SECONDS        load before each measured phase (default 120)
			  --duration=SECONDS      measured phase (default 30)
			  --rounds=N              rounds, each running every configuration once (default 3)
			  --configs=a,b,...|all   configurations (default all): %s
			  --connections=N         concurrent keep-alive connections (default 8)
			  --mix=p1,p2,...         request paths, sent in turn (default %s)
			  --output=PATH           Markdown file the report goes into (default docs/benchmarks.md)
			  --work=PATH             logs and recordings (default benchmarks/target/load)
			  --dd-java-agent=JAR     needed by dd-profiling and dd-profiling-tracing
			  --pyroscope-agent=JAR   needed by pyroscope
			  --previous-jar=JAR      another build of the sample, run by ddprof-previous (to compare builds)
			  --virtual-threads=BOOL  serve requests on virtual threads in every configuration (Java 21+; default false)
			  --sampling-probability=P  the tracer's sampling probability, 0 to 1 (default: the sample's, 1.0)
			""".formatted(String.join(", ", Stream.of(Configuration.values()).map(Configuration::id).toList()),
			String.join(",", DEFAULT_MIX));

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
				"work", "dd-java-agent", "pyroscope-agent", "previous-jar", "virtual-threads", "sampling-probability");
		for (String key : values.keySet()) {
			if (!known.contains(key)) {
				throw new IllegalArgumentException("Unknown option --" + key + "\n" + USAGE);
			}
		}
		String configs = values.getOrDefault("configs", "all");
		Path previousJar = path(values.get("previous-jar"));
		// "all" takes ddprof-previous only when there is a previous build to run.
		List<Configuration> configurations = configs.equals("all")
				? Stream.of(Configuration.values())
					.filter((configuration) -> configuration != Configuration.DDPROF_PREVIOUS || previousJar != null)
					.toList()
				: Arrays.stream(configs.split(",")).map(String::trim).map(Configuration::of).toList();
		if (configurations.contains(Configuration.DDPROF_PREVIOUS) && previousJar == null) {
			throw new IllegalArgumentException("Configuration 'ddprof-previous' needs --previous-jar=<jar>");
		}
		boolean virtualThreads = Boolean.parseBoolean(values.getOrDefault("virtual-threads", "false"));
		if (virtualThreads && Runtime.version().feature() < 21) {
			throw new IllegalArgumentException("--virtual-threads=true needs Java 21 or later to run the sample; this is "
					+ Runtime.version() + " (the sample runs on the benchmark's own JVM)");
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
				Duration.ofSeconds(positive(values, "warmup", 120)), Duration.ofSeconds(positive(values, "duration", 30)),
				(int) positive(values, "rounds", 3), configurations, (int) positive(values, "connections", 8),
				values.containsKey("mix") ? List.of(values.get("mix").split(",")) : DEFAULT_MIX,
				Path.of(values.getOrDefault("output", "docs/benchmarks.md")),
				Path.of(values.getOrDefault("work", "benchmarks/target/load")), path(values.get("dd-java-agent")),
				path(values.get("pyroscope-agent")), previousJar, virtualThreads, samplingProbability);
	}

	/** Arguments every configuration's sample gets: the threads requests run on, the tracer's sampling. */
	List<String> commonAppArgs() {
		List<String> args = new ArrayList<>();
		if (this.virtualThreads) {
			args.add("--spring.threads.virtual.enabled=true");
		}
		if (this.samplingProbability != null) {
			args.add("--management.tracing.sampling.probability=" + this.samplingProbability);
		}
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
