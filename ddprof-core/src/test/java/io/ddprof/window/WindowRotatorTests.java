package io.ddprof.window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.JfrSpanEvent;
import io.ddprof.engine.JfrEngine;
import io.ddprof.engine.SamplingPlan;
import io.ddprof.problem.ProblemLog;
import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The rotation's boundaries: copies that cut nothing, and a stop that stays a stop. */
class WindowRotatorTests {

	@TempDir
	Path temp;

	private final JfrEngine engine = new JfrEngine();

	private final List<RecordedWindow> exported = new CopyOnWriteArrayList<>();

	private WindowRotator rotator;

	@AfterEach
	void stop() {
		if (this.rotator != null) {
			this.rotator.stop(false);
		}
		this.engine.stop(null);
	}

	@Test
	void stopWhileAPeriodicCutWaitsForTheLockLeavesTheEngineStopped() throws Exception {
		this.rotator = rotator();
		this.rotator.start(Duration.ZERO, Duration.ofMillis(100));
		assertThat(ddprofRecordingRuns()).isTrue();
		Thread cutter;
		// Holding the rotator's lock as a long cut or a download would: the next periodic
		// cut waits for it.
		synchronized (this.rotator) {
			cutter = await().atMost(Duration.ofSeconds(30)).until(this::recorderWaitingForTheLock, (t) -> t != null);
			this.rotator.stop(false);
		}
		cutter.join(TimeUnit.SECONDS.toMillis(30));

		assertThat(cutter.isAlive()).isFalse();
		assertThat(this.rotator.isRecording()).isFalse();
		assertThat(ddprofRecordingRuns()).as("the JDK recording was opened again by the waiting cut").isFalse();
	}

	@Test
	void copiesOfTheCurrentWindowNeitherMoveItsStartNorExportNorConsumeWhatItRecorded() throws Exception {
		this.rotator = rotator();
		this.rotator.start(Duration.ZERO, Duration.ofHours(1));
		Thread.sleep(50);
		span("before-the-copies");
		RecordedWindow first = null;
		for (int i = 0; i < 5; i++) {
			RecordedWindow copy = this.rotator.copyCurrent(this.temp.resolve("copy-" + i + ".jfr"));
			assertThat(copy).isNotNull();
			assertThat(copy.sequence()).isEqualTo(1);
			first = (first != null) ? first : copy;
			assertThat(copy.start()).isEqualTo(first.start());
			assertThat(spanTags(copy.jfr())).contains("before-the-copies");
		}
		assertThat(this.exported).isEmpty();
		assertThat(this.rotator.stats().windowsRecorded()).isZero();

		RecordedWindow window = this.rotator.cutNow().get(30, TimeUnit.SECONDS);

		assertThat(window.sequence()).isEqualTo(1);
		assertThat(window.start()).isEqualTo(first.start());
		assertThat(this.exported).containsExactly(window);
		// What the copies read is still in the window: the copies consumed nothing.
		assertThat(spanTags(window.jfr())).contains("before-the-copies");
	}

	private WindowRotator rotator() throws Exception {
		ProfilerSettings settings = ProfilerSettings.builder().service("rotator-tests").build();
		return new WindowRotator(this.engine, new SamplingPlan(settings, new Random(1)), () -> false,
				Files.createDirectories(this.temp.resolve("windows")), (profile) -> {
					this.exported.add(profile);
					return CompletableFuture.completedFuture(profile);
				}, new ProblemLog(), Clock.systemUTC());
	}

	private void span(String tag) {
		long started = this.engine.spanSink().begin();
		this.engine.spanSink().end(started, tag);
	}

	private Thread recorderWaitingForTheLock() {
		for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
			if (thread.getKey().getName().equals("ddprof-recorder")
					&& thread.getKey().getState() == Thread.State.BLOCKED) {
				return thread.getKey();
			}
		}
		return null;
	}

	private static boolean ddprofRecordingRuns() {
		return FlightRecorder.getFlightRecorder()
			.getRecordings()
			.stream()
			.anyMatch((recording) -> recording.getName().equals("ddprof")
					&& recording.getState() == RecordingState.RUNNING);
	}

	private static List<String> spanTags(Path jfr) throws Exception {
		return RecordingFile.readAllEvents(jfr)
			.stream()
			.filter((event) -> event.getEventType().getName().equals(JfrSpanEvent.NAME))
			.map((RecordedEvent event) -> event.getString("tag"))
			.toList();
	}

}
