package io.ddprof.engine;

import java.nio.file.Path;

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

	private static RecordingOptions allocEvery(long bytes) {
		return new RecordingOptions(null, null, false, 16, bytes, 200, false, null, 64);
	}

}
