package io.ddprof.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.ddprof.context.SpanSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry behind async-profiler's wall-clock thread filter stays bounded: threads
 * that ended are forgotten at every window cut, filter or not, and virtual threads are
 * never registered.
 */
class WallThreadFilterTests {

	@TempDir
	Path temp;

	@Test
	void threadsThatEndedAreForgottenAtTheNextCutEvenWithoutTheFilter() throws Exception {
		AsyncProfilerEngine engine = AsyncProfilerEngine.load();
		engine.start(this.temp, cpuOnly());
		try {
			SpanSink sink = engine.spanSink();
			for (int i = 0; i < 50; i++) {
				Thread thread = new Thread(() -> {
					sink.threadEntered();
					sink.threadLeft();
				});
				thread.start();
				thread.join();
			}
			assertThat(engine.wallFilterThreads()).isEqualTo(50);
			engine.cut(this.temp.resolve("window-1.jfr"), cpuOnly());
			assertThat(engine.wallFilterThreads()).isZero();
		}
		finally {
			engine.stop(null);
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsAreNeverRegistered() throws Exception {
		AsyncProfilerEngine engine = AsyncProfilerEngine.load();
		engine.start(this.temp,
				new RecordingOptions(null, Duration.ofMillis(20), true, 16, null, 200, false, null, 64));
		ExecutorService requests = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
			.invoke(null);
		try {
			SpanSink sink = engine.spanSink();
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				futures.add(requests.submit(() -> {
					sink.threadEntered();
					Thread.sleep(1);
					sink.threadLeft();
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
			assertThat(engine.wallFilterThreads()).isZero();
		}
		finally {
			requests.shutdown();
			engine.stop(null);
		}
	}

	private static RecordingOptions cpuOnly() {
		return new RecordingOptions(Duration.ofMillis(10), null, false, 16, null, 200, false, null, 64);
	}

}
