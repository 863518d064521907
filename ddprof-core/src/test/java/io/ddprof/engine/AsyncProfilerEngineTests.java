package io.ddprof.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** When a new window's options restart async-profiler's recording rather than a dump. */
class AsyncProfilerEngineTests {

	@TempDir
	Path temp;

	@Test
	void allocationIntervalChangesOfMoreThanAQuarterRestartTheRecording() throws Exception {
		AsyncProfilerEngine engine = AsyncProfilerEngine.load();
		engine.start(this.temp, allocEvery(40L << 20));
		try {
			assertThat(engine.needsRestart(allocEvery(40L << 20))).isFalse();
			assertThat(engine.needsRestart(allocEvery(48L << 20))).isFalse();
			assertThat(engine.needsRestart(allocEvery(34L << 20))).isFalse();
			// Kept, the running interval would take 30% more or fewer samples than planned.
			assertThat(engine.needsRestart(allocEvery(52L << 20))).isTrue();
			assertThat(engine.needsRestart(allocEvery(30L << 20))).isTrue();
		}
		finally {
			engine.stop(null);
		}
	}

	/**
	 * async-profiler writes every system property ({@code -D}, secrets included) and the JVM's and
	 * program's arguments into its JFR unless told not to: no window may hold them.
	 */
	@Test
	void noWindowHoldsSystemPropertiesOrTheCommandLine() throws Exception {
		AsyncProfilerEngine engine = AsyncProfilerEngine.load();
		RecordingOptions cpu = new RecordingOptions(Duration.ofMillis(1), null, false, 16, null, 200, false, null, 64);
		engine.start(this.temp, cpu);
		Path dumped = this.temp.resolve("dumped.jfr");
		Path restarted = this.temp.resolve("restarted.jfr");
		Path last = this.temp.resolve("last.jfr");
		try {
			burn();
			engine.cut(dumped, cpu);
			burn();
			engine.cut(restarted, allocEvery(1L << 20));
			burn();
		}
		finally {
			engine.stop(last);
		}
		for (Path window : List.of(dumped, restarted, last)) {
			assertThat(RecordingFile.readAllEvents(window)).as(window.getFileName().toString())
				.isNotEmpty()
				.extracting((event) -> event.getEventType().getName())
				.doesNotContain("jdk.InitialSystemProperty", "jdk.JVMInformation", "jdk.InitialEnvironmentVariable");
			assertThat(new String(Files.readAllBytes(window), StandardCharsets.ISO_8859_1))
				.doesNotContain("java.class.path").doesNotContain("sun.java.command");
		}
	}

	private static void burn() {
		long end = System.nanoTime() + 200_000_000L;
		double sink = 0;
		while (System.nanoTime() < end) {
			sink += Math.sqrt(sink + 1);
		}
		assertThat(sink).isPositive();
	}

	private static RecordingOptions allocEvery(long bytes) {
		return new RecordingOptions(null, null, false, 16, bytes, 200, false, null, 64);
	}

}
