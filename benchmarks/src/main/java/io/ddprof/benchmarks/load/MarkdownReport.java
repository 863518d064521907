package io.ddprof.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The load benchmark's results as Markdown: one row per configuration, each cell the
 * median over the rounds with the minimum and maximum in parentheses, ratios taken
 * against the no-profiler run of the same round. Written between two marker comments of a
 * Markdown file, so that the prose around the table is kept when the benchmark runs
 * again.
 */
final class MarkdownReport {

	static final String BEGIN = "<!-- load-benchmark:begin (written by LoadBenchmark; edit outside the markers) -->";

	static final String END = "<!-- load-benchmark:end -->";

	private final BenchmarkOptions options;

	private final List<RunResult> results;

	private final List<String> failures;

	private final List<String> loadBefore;

	private final List<String> loadAfter;

	private final Duration elapsed;

	private final String javaVersion;

	private final int roundsDone;

	MarkdownReport(BenchmarkOptions options, List<RunResult> results, List<String> failures, List<String> loadBefore,
			List<String> loadAfter, Duration elapsed, String javaVersion, int roundsDone) {
		this.roundsDone = roundsDone;
		this.options = options;
		this.results = results;
		this.failures = failures;
		this.loadBefore = loadBefore;
		this.loadAfter = loadAfter;
		this.elapsed = elapsed;
		this.javaVersion = javaVersion;
	}

	/**
	 * Writes the report between the markers of {@code file}, or at its end when it has
	 * none.
	 */
	void writeInto(Path file) throws IOException {
		String section = BEGIN + "\n" + render() + END;
		String text = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
		int begin = text.indexOf(BEGIN);
		int end = text.indexOf(END);
		String updated;
		if (begin >= 0 && end > begin) {
			updated = text.substring(0, begin) + section + text.substring(end + END.length());
		}
		else {
			updated = text + (text.isEmpty() || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n")
					+ section + "\n";
		}
		if (file.toAbsolutePath().getParent() != null) {
			Files.createDirectories(file.toAbsolutePath().getParent());
		}
		Files.writeString(file, updated, StandardCharsets.UTF_8);
	}

	String render() {
		StringBuilder out = new StringBuilder();
		out.append("Run ")
			.append(Instant.now().truncatedTo(ChronoUnit.MINUTES))
			.append(" on ")
			.append(machine())
			.append(", ")
			.append(this.javaVersion)
			.append(" (benchmark and sample alike).\n")
			.append("Load: ")
			.append(this.options.connections())
			.append(" keep-alive connections, each sending in turn ")
			.append(this.options.mix().stream().map((path) -> "`" + path + "`").collect(Collectors.joining(", ")))
			.append(this.options.startPhase() ? "; the first minute measured from second "
					+ BenchmarkOptions.START_PHASE_SKIP_SECONDS + " to 60 after start" : "")
			.append("; ")
			.append(this.options.warmup().toSeconds())
			.append(" s warm-up then ")
			.append(this.options.duration().toSeconds())
			.append(" s measured per run")
			.append((this.options.maxHeap() != null) ? ", -Xmx" + this.options.maxHeap() : ", no -Xmx")
			.append(this.options.extraJvmArgs().isEmpty() ? ""
					: ", JVM options `" + String.join(" ", this.options.extraJvmArgs()) + "`")
			.append(this.options.extraAppArgs().isEmpty() ? ""
					: ", application arguments `" + String.join(" ", this.options.extraAppArgs()) + "`")
			.append(this.options.virtualThreads() ? ", requests on virtual threads" : "")
			.append((this.options.samplingProbability() != null)
					? ", tracing sampling probability " + this.options.samplingProbability() : "")
			.append((this.options.previousJar() != null)
					? ", previous build `" + this.options.previousJar().getFileName() + "`" : "")
			.append(", ")
			.append(this.roundsDone)
			.append(this.roundsDone == 1 ? " round" : " rounds")
			.append((this.roundsDone < this.options.rounds()) ? " of " + this.options.rounds() + " planned" : "")
			.append(" (every configuration once per round, in the order of the table). Load average before ")
			.append(String.join(" / ", this.loadBefore))
			.append(", after ")
			.append(String.join(" / ", this.loadAfter))
			.append(" (1 / 5 / 15 min); whole run ")
			.append(this.elapsed.toMinutes())
			.append(" min.\n\n");
		out.append("| configuration | throughput ratio |"
				+ (this.options.startPhase() ? " first-minute throughput ratio |" : "")
				+ " p50 latency ratio | p99 latency ratio | requests/s | "
				+ "CPU ms per request | peak RSS MB | heap after GC MB | samples/s | ddprof CPU ms for the measured window "
				+ "(rotation + export / upload) | upload KB of the measured window |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|")
			.append(this.options.startPhase() ? "---|" : "")
			.append('\n');
		for (Configuration configuration : this.options.configurations()) {
			List<RunResult> runs = runs(configuration);
			if (runs.isEmpty()) {
				out.append("| ")
					.append(configuration.label())
					.append(" | failed |  |  |  |  |  |  |  |  |  |")
					.append(this.options.startPhase() ? "  |" : "")
					.append('\n');
				continue;
			}
			out.append("| ")
				.append(configuration.label())
				.append(" | ")
				.append(ratio(runs, (run) -> run.load().throughput()))
				.append(this.options.startPhase() ? " | "
						+ ratio(runs, (run) -> (run.firstMinute() != null) ? run.firstMinute().throughput() : null)
						: "")
				.append(" | ")
				.append(ratio(runs, (run) -> (double) run.load().p50Micros()))
				.append(" | ")
				.append(ratio(runs, (run) -> (double) run.load().p99Micros()))
				.append(" | ")
				.append(spread(values(runs, (run) -> run.load().throughput()), "%.0f"))
				.append(" | ")
				.append(spread(values(runs, (run) -> run.cpuSecondsPerRequest() * 1000), "%.2f"))
				.append(" | ")
				.append(spread(values(runs, (run) -> run.peakRssBytes() / 1048576.0), "%.0f"))
				.append(" | ")
				.append(spread(values(runs, (run) -> run.heapAfterGcBytes() / 1048576.0), "%.0f"))
				.append(" | ")
				.append(orDash(spread(values(runs, RunResult::samplesPerSecond), "%.0f")))
				.append(" | ")
				.append(ownCost(runs))
				.append(" | ")
				.append(orDash(
						spread(values(runs, (run) -> (run.uploadBytes() != null) ? run.uploadBytes() / 1024.0 : null),
								"%.0f")))
				.append(" |\n");
		}
		out.append("\nAbsolute latency of the no-profiler runs: ").append(baselineLatency()).append(".\n");
		threadsTable(out, "the measured phase", RunResult::cpuSecondsPerRequestByThreads);
		if (this.options.startPhase()) {
			threadsTable(out, "the first minute (seconds 10 to 60 after start)",
					RunResult::firstMinuteCpuSecondsPerRequestByThreads);
		}
		List<String> notes = new ArrayList<>();
		for (RunResult run : this.results) {
			if (run.samplesNote() != null) {
				notes.add("round " + run.round() + ", " + run.configuration().id() + ": " + run.samplesNote());
			}
			if (run.load().errors() > 0) {
				notes.add("round " + run.round() + ", " + run.configuration().id() + ": " + run.load().errors()
						+ " failed requests, first: " + run.load().firstError());
			}
		}
		notes.addAll(this.failures.stream().map((failure) -> "FAILED " + failure).toList());
		if (!notes.isEmpty()) {
			out.append("\n<details><summary>Samples counted, and failures, per run</summary>\n\n");
			notes.forEach((note) -> out.append("- ").append(note).append('\n'));
			out.append("\n</details>\n");
		}
		return out.toString();
	}

	private List<RunResult> runs(Configuration configuration) {
		return this.results.stream().filter((run) -> run.configuration() == configuration).toList();
	}

	/**
	 * The metric over the same round's no-profiler run, median (min to max) over the
	 * rounds.
	 */
	private String ratio(List<RunResult> runs, Function<RunResult, Double> metric) {
		List<Double> ratios = new ArrayList<>();
		for (RunResult run : runs) {
			Optional<RunResult> baseline = this.results.stream()
				.filter((other) -> other.configuration() == Configuration.NONE && other.round() == run.round())
				.findFirst();
			Double value = metric.apply(run);
			Double base = baseline.map(metric).orElse(null);
			if (value != null && base != null) {
				ratios.add(value / base);
			}
		}
		return orDash(spread(ratios, "%.2f"));
	}

	private String ownCost(List<RunResult> runs) {
		List<Double> window = values(runs, RunResult::windowCpuMillis);
		List<Double> upload = values(runs, RunResult::uploadCpuMillis);
		if (window.isEmpty()) {
			return "–";
		}
		return spread(window, "%.0f") + " / " + spread(upload, "%.0f");
	}

	private String baselineLatency() {
		List<RunResult> none = runs(Configuration.NONE);
		if (none.isEmpty()) {
			return "no baseline run";
		}
		return "p50 " + spread(values(none, (run) -> run.load().p50Micros() / 1000.0), "%.2f") + " ms, p99 "
				+ spread(values(none, (run) -> run.load().p99Micros() / 1000.0), "%.2f") + " ms";
	}

	private static List<Double> values(List<RunResult> runs, Function<RunResult, Double> metric) {
		return runs.stream().map(metric).filter(Objects::nonNull).toList();
	}

	/** {@code median (min–max)}, or the value alone for one run, or empty for none. */
	static String spread(List<Double> values, String format) {
		if (values.isEmpty()) {
			return "";
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		double median = (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		String text = String.format(Locale.ROOT, format, median);
		if (n > 1) {
			text += String.format(Locale.ROOT, " (" + format + "–" + format + ")", sorted.get(0), sorted.get(n - 1));
		}
		return text;
	}

	private static String orDash(String text) {
		return text.isEmpty() ? "–" : text;
	}

	private static String machine() {
		String model = "unknown CPU";
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					model = line.substring(line.indexOf(':') + 1).trim();
					break;
				}
			}
		}
		catch (IOException ex) {
			// Not Linux, or not readable: the core count still says something.
		}
		long memoryGb = Math.round(totalMemoryBytes() / 1073741824.0);
		return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), " + memoryGb + " GB";
	}

	private static long totalMemoryBytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Unknown.
		}
		return 0;
	}

	private void threadsTable(StringBuilder out, String phase,
			java.util.function.Function<RunResult, java.util.Map<ProcessMeter.ThreadGroup, Double>> byThreads) {
		out.append("\nCPU ms per request in ")
			.append(phase)
			.append(", by the threads that spent it (their names; threads that ended within the phase are not counted):"
					+ "\n\n| configuration |");
		for (ProcessMeter.ThreadGroup group : ProcessMeter.ThreadGroup.values()) {
			out.append(' ').append(group.label()).append(" |");
		}
		out.append("\n|---|").append("---|".repeat(ProcessMeter.ThreadGroup.values().length)).append('\n');
		for (Configuration configuration : this.options.configurations()) {
			List<RunResult> runs = runs(configuration);
			if (runs.isEmpty()) {
				continue;
			}
			out.append("| ").append(configuration.label()).append(" |");
			for (ProcessMeter.ThreadGroup group : ProcessMeter.ThreadGroup.values()) {
				out.append(' ')
					.append(orDash(spread(values(runs,
							(run) -> (byThreads.apply(run).get(group) != null) ? byThreads.apply(run).get(group) * 1000
									: null),
							"%.3f")))
					.append(" |");
			}
			out.append('\n');
		}
	}

}
