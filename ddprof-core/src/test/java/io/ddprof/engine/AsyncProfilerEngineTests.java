package io.ddprof.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.ddprof.testing.JfrEvents;
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
			// Kept, the running interval would take 30% more or fewer samples than
			// planned.
			assertThat(engine.needsRestart(allocEvery(52L << 20))).isTrue();
			assertThat(engine.needsRestart(allocEvery(30L << 20))).isTrue();
		}
		finally {
			engine.stop(null);
		}
	}

	/**
	 * async-profiler writes every system property ({@code -D}, secrets included) and the
	 * JVM's and program's arguments into its JFR unless told not to: no window may hold
	 * them.
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
				.doesNotContain("java.class.path")
				.doesNotContain("sun.java.command");
		}
	}

	/**
	 * A restart within a window (for a new allocation interval) loses nothing of the
	 * window: the cut after it holds what was recorded before and after, the cut after
	 * that neither again, and no stopped recording is left on disk.
	 */
	@Test
	void anAdjustmentWithinAWindowKeepsBothRecordingsInIt() throws Exception {
		AsyncProfilerEngine engine = AsyncProfilerEngine.load();
		engine.start(Files.createDirectories(this.temp.resolve("work")), allocEvery(256L << 10));
		Path first = this.temp.resolve("first.jfr");
		Path copy = this.temp.resolve("copy.jfr");
		Path second = this.temp.resolve("second.jfr");
		Path last = this.temp.resolve("last.jfr");
		try {
			onFreshThread(AsyncProfilerEngineTests::allocateBeforeTheAdjustment);
			long seam = engine.adjust(allocEvery(512L << 10));
			assertThat(seam).isPositive();
			assertThat(engine.options().allocInterval()).isEqualTo(512L << 10);
			onFreshThread(AsyncProfilerEngineTests::allocateAfterTheAdjustment);
			assertThat(engine.copyCurrent(copy)).isTrue();
			engine.cut(first, allocEvery(512L << 10));
			onFreshThread(AsyncProfilerEngineTests::allocateAfterTheAdjustment);
			engine.cut(second, allocEvery(512L << 10));
			onFreshThread(AsyncProfilerEngineTests::allocateBeforeTheAdjustment);
			engine.adjust(allocEvery(256L << 10));
			onFreshThread(AsyncProfilerEngineTests::allocateAfterTheAdjustment);
		}
		finally {
			engine.stop(last);
		}
		assertThat(allocatingMethods(first)).contains("allocateBeforeTheAdjustment", "allocateAfterTheAdjustment");
		assertThat(allocatingMethods(copy)).contains("allocateBeforeTheAdjustment", "allocateAfterTheAdjustment");
		assertThat(allocatingMethods(second)).contains("allocateAfterTheAdjustment")
			.doesNotContain("allocateBeforeTheAdjustment");
		assertThat(allocatingMethods(last)).contains("allocateBeforeTheAdjustment", "allocateAfterTheAdjustment");
		try (var files = Files.list(this.temp.resolve("work"))) {
			assertThat(files).isEmpty();
		}
	}

	/**
	 * Allocates on a thread of its own: the JVM's heap sampler counts down, per thread,
	 * the bytes to the next sample drawn at the interval in force when that thread last
	 * sampled, so a thread that sampled at a large interval in an earlier test may take
	 * no sample here for a long while.
	 */
	private static void onFreshThread(Runnable allocation) throws InterruptedException {
		Thread thread = new Thread(allocation, "allocator");
		thread.start();
		thread.join();
	}

	private static List<String> allocatingMethods(Path window) throws Exception {
		return JfrEvents.methodsOnStacks(window, "jdk.ObjectAllocation", (name) -> name.startsWith("allocate"));
	}

	private static long allocateBeforeTheAdjustment() {
		return allocate();
	}

	private static long allocateAfterTheAdjustment() {
		return allocate();
	}

	private static long allocate() {
		long sum = 0;
		for (int i = 0; i < 4096; i++) {
			byte[] chunk = new byte[16 * 1024];
			chunk[i % chunk.length] = (byte) i;
			sum += chunk[i % chunk.length];
		}
		assertThat(sum).isNotZero();
		return sum;
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
