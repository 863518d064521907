package io.ddprof.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load benchmark, run end to end on the packaged sample with the smallest durations,
 * so that it cannot rot: the same code path as a full run, with no profiler, ddprof's
 * defaults and raw async-profiler. Checks what the report holds, never how fast anything
 * was.
 */
class LoadBenchmarkSmokeIT {

	@Test
	void writesAReportRowPerConfigurationIntoTheMarkdownFileKeepingTheProseAroundIt(@TempDir Path temp)
			throws Exception {
		Path report = temp.resolve("benchmarks.md");
		Files.writeString(report, "# Benchmarks\n\nProse before.\n\n" + MarkdownReport.BEGIN + "\nold table\n"
				+ MarkdownReport.END + "\n\nProse after.\n");
		Path sampleJar = BenchmarkOptions.findSampleJar(Path.of(System.getProperty("sample.directory")));
		BenchmarkOptions options = BenchmarkOptions.parse("--jar=" + sampleJar, "--warmup=1", "--duration=3",
				"--rounds=1", "--configs=none,ddprof,async-profiler", "--output=" + report,
				"--work=" + temp.resolve("work"));

		List<RunResult> results = LoadBenchmark.run(options);

		assertThat(results).extracting(RunResult::configuration)
			.containsExactly(Configuration.NONE, Configuration.DDPROF, Configuration.ASYNC_PROFILER);
		assertThat(results).allSatisfy((run) -> {
			assertThat(run.load().requests()).isPositive();
			assertThat(run.cpuSecondsPerRequest()).isPositive();
			assertThat(run.peakRssBytes()).isPositive();
			assertThat(run.heapAfterGcBytes()).isPositive();
		});
		RunResult ddprof = results.get(1);
		assertThat(ddprof.samplesPerSecond()).isPositive();
		assertThat(ddprof.windowCpuMillis()).isNotNull();
		assertThat(ddprof.intake().profileUploads()).isPositive();
		assertThat(results.get(2).samplesPerSecond()).isPositive();
		String text = Files.readString(report);
		assertThat(text).startsWith("# Benchmarks\n\nProse before.\n\n" + MarkdownReport.BEGIN)
			.endsWith(MarkdownReport.END + "\n\nProse after.\n")
			.doesNotContain("old table")
			.containsPattern("\\| no profiler \\| 1\\.00 \\| 1\\.00 \\| 1\\.00 \\| \\d+ \\|")
			.containsPattern(
					"\\| ddprof, defaults [^|]* \\| \\d+\\.\\d\\d \\| \\d+\\.\\d\\d \\| \\d+\\.\\d\\d \\| \\d+ \\|")
			.containsPattern("\\| async-profiler 4\\.6 agent[^|]* \\| \\d+\\.\\d\\d \\|")
			.doesNotContain("FAILED");
	}

}
