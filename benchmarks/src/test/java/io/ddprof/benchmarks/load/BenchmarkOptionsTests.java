package io.ddprof.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** How the load benchmark reads its options. */
class BenchmarkOptionsTests {

	@TempDir
	Path temp;

	@Test
	void allRunsThePreviousBuildOnlyWhenOneIsGiven() throws IOException {
		Path jar = Files.createFile(this.temp.resolve("sample-app-1.jar"));
		Path previous = Files.createFile(this.temp.resolve("sample-app-0.jar"));
		assertThat(BenchmarkOptions.parse("--jar=" + jar).configurations())
			.doesNotContain(Configuration.DDPROF_PREVIOUS);
		BenchmarkOptions withPrevious = BenchmarkOptions.parse("--jar=" + jar, "--previous-jar=" + previous);
		assertThat(withPrevious.configurations()).contains(Configuration.DDPROF_PREVIOUS);
		assertThat(withPrevious.jarOf(Configuration.DDPROF_PREVIOUS)).isEqualTo(previous);
		assertThat(withPrevious.jarOf(Configuration.DDPROF)).isEqualTo(jar);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchmarkOptions.parse("--jar=" + jar, "--configs=none,ddprof-previous"))
			.withMessageContaining("--previous-jar");
	}

	@Test
	void samplingProbabilityAndVirtualThreadsReachEveryConfiguration() throws IOException {
		Path jar = Files.createFile(this.temp.resolve("sample-app-1.jar"));
		assertThat(BenchmarkOptions.parse("--jar=" + jar).commonAppArgs()).isEmpty();
		assertThat(BenchmarkOptions.parse("--jar=" + jar, "--sampling-probability=0.1").commonAppArgs())
			.containsExactly("--management.tracing.sampling.probability=0.1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchmarkOptions.parse("--jar=" + jar, "--sampling-probability=1.5"))
			.withMessageContaining("from 0 to 1");
		if (Runtime.version().feature() >= 21) {
			assertThat(BenchmarkOptions.parse("--jar=" + jar, "--virtual-threads=true").commonAppArgs())
				.containsExactly("--spring.threads.virtual.enabled=true");
		}
		else {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> BenchmarkOptions.parse("--jar=" + jar, "--virtual-threads=true"))
				.withMessageContaining("Java 21");
		}
	}

	@Test
	void aMixIsNamedOrListedAndTheFirstMinuteIsMeasuredOnlyWhenAskedFor() throws IOException {
		Path jar = Files.createFile(this.temp.resolve("sample-app-1.jar"));
		BenchmarkOptions defaults = BenchmarkOptions.parse("--jar=" + jar);
		assertThat(defaults.mix()).isEqualTo(BenchmarkOptions.DEFAULT_MIX);
		assertThat(defaults.mixName()).isEqualTo("tuned");
		assertThat(defaults.startPhase()).isFalse();
		BenchmarkOptions survivors = BenchmarkOptions.parse("--jar=" + jar, "--mix=survivors", "--start-phase=true");
		assertThat(survivors.mix()).contains("/alloc?mb=32&chunk=16384&retain=64");
		assertThat(survivors.mixName()).isEqualTo("survivors");
		assertThat(survivors.startPhase()).isTrue();
		BenchmarkOptions listed = BenchmarkOptions.parse("--jar=" + jar, "--mix=/cpu?millis=5,/io?millis=1");
		assertThat(listed.mix()).containsExactly("/cpu?millis=5", "/io?millis=1");
		assertThat(listed.mixName()).isNull();
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--jar=" + jar, "--mix=huge"))
			.withMessageContaining("tuned, survivors, small, large");
	}

	@Test
	void everyConfigurationRunsWithABoundedHeapAndTheExtraArgumentsGiven() throws IOException {
		Path jar = Files.createFile(this.temp.resolve("sample-app-1.jar"));
		BenchmarkOptions defaults = BenchmarkOptions.parse("--jar=" + jar);
		assertThat(defaults.commonJvmArgs()).containsExactly("-Xmx" + BenchmarkOptions.DEFAULT_MAX_HEAP);
		assertThat(BenchmarkOptions.parse("--jar=" + jar, "--max-heap=none").commonJvmArgs()).isEmpty();
		BenchmarkOptions diagnostic = BenchmarkOptions.parse("--jar=" + jar, "--max-heap=512m",
				"--jvm-args= -XX:NativeMemoryTracking=summary  -Xlog:gc ", "--app-args=--ddprof.alloc.interval=64m",
				"--sampling-probability=0.1");
		assertThat(diagnostic.commonJvmArgs()).containsExactly("-Xmx512m", "-XX:NativeMemoryTracking=summary",
				"-Xlog:gc");
		assertThat(diagnostic.commonAppArgs()).containsExactly("--ddprof.alloc.interval=64m",
				"--management.tracing.sampling.probability=0.1");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--jar=" + jar, "--max-heap=lots"))
			.withMessageContaining("--max-heap");
		// The benchmark's own options come before the configuration's, so that an agent's
		// options stay last.
		Configuration.Launch launch = new Configuration.Launch(List.of("-javaagent:a.jar"), List.of("--x=1"), Map.of(),
				null)
			.with(diagnostic.commonJvmArgs(), diagnostic.commonAppArgs());
		assertThat(launch.jvmArgs()).containsExactly("-Xmx512m", "-XX:NativeMemoryTracking=summary", "-Xlog:gc",
				"-javaagent:a.jar");
		assertThat(launch.appArgs()).containsExactly("--x=1", "--ddprof.alloc.interval=64m",
				"--management.tracing.sampling.probability=0.1");
	}

}
