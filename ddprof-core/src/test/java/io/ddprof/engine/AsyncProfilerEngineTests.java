package io.ddprof.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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

	@Test
	void aDumpWhoseCopyFailsFallsBackToARestartThatWritesTheWindow() throws Exception {
		AsyncProfilerEngine engine = AsyncProfilerEngine.load();
		RecordingOptions options = new RecordingOptions(Duration.ofMillis(1), null, false, 16, null, 200, false, null,
				64);
		engine.start(this.temp, options);
		try {
			Path window = this.temp.resolve("window-1.jfr");
			// Left by a copy cut short, as a full disk leaves one: the dump's copy cannot create the
			// window, and the restart it falls back to must not trip over it either.
			Files.writeString(window, "half a window");
			assertThat(engine.cut(window, options)).as("unrecorded nanoseconds of the restart").isPositive();
			assertThat(RecordingFile.readAllEvents(window)).isNotEmpty();
		}
		finally {
			engine.stop(null);
		}
	}

	private static RecordingOptions allocEvery(long bytes) {
		return new RecordingOptions(null, null, false, 16, bytes, 200, false, null, 64);
	}

}
