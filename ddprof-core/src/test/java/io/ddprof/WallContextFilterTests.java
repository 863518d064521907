package io.ddprof;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.SpanSink;
import io.ddprof.export.CollectingExporter;
import io.ddprof.testing.JfrEvents;
import io.ddprof.window.RecordedWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a tracer attached, wall-clock sampling covers only threads holding a span, in
 * every window: async-profiler forgets its thread filter at each restart, and the engine
 * restores it.
 */
class WallContextFilterTests {

	@TempDir
	Path temp;

	@Test
	void onlyThreadsHoldingASpanAreWallSampledAcrossWindows() throws Exception {
		CollectingExporter collected = new CollectingExporter(Files.createDirectories(this.temp.resolve("collected")));
		Profiler profiler = new Profiler(ProfilerSettings.builder()
			.service("wall-filter-tests")
			.engine(EngineChoice.ASYNC_PROFILER)
			.uploadEnabled(false)
			.uploadPeriod(Duration.ofSeconds(1))
			.wallInterval(Duration.ofMillis(5))
			.tempDirectory(this.temp)
			.build());
		profiler.attachTracer();
		profiler.addExporter(collected);
		profiler.start(false, false);
		SpanSink sink = profiler.spanSink();
		CountDownLatch done = new CountDownLatch(1);
		Thread inSpan = new Thread(() -> {
			sink.threadEntered();
			sink.threadEntered();
			sink.threadLeft();
			awaitQuietly(done);
			sink.threadLeft();
		}, "in-span");
		Thread outside = new Thread(() -> awaitQuietly(done), "outside");
		inSpan.start();
		outside.start();
		Thread.sleep(3300);
		done.countDown();
		inSpan.join();
		outside.join();
		profiler.stop(true);

		List<RecordedWindow> windows = collected.windows();
		assertThat(windows).hasSizeGreaterThanOrEqualTo(3);
		for (RecordedWindow window : windows.subList(0, windows.size() - 1)) {
			JfrEvents events = JfrEvents.read(List.of(window.jfr()));
			assertThat(events.of(Set.of("profiler.WallClockSample"), "in-span")).as("window %d", window.sequence())
				.isNotEmpty();
			assertThat(events.of(Set.of("profiler.WallClockSample"), "outside")).as("window %d", window.sequence())
				.isEmpty();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
