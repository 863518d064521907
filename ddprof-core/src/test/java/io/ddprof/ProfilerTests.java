package io.ddprof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.CollectingExporter;
import io.ddprof.testing.JfrEvents;
import io.ddprof.window.RecordedWindow;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profiler records what real threads do, with the real engines: a spinning method
 * tops the CPU samples of its thread, an allocating method shows in allocation samples, a
 * contended monitor's class in lock samples, a sleeping method in wall-clock samples.
 */
class ProfilerTests {

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class WithAsyncProfiler extends EngineChecks {

		WithAsyncProfiler() {
			super(EngineChoice.ASYNC_PROFILER, "async-profiler", Set.of("jdk.ExecutionSample"),
					Set.of("profiler.WallClockSample"),
					Set.of("jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB"));
		}

	}

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class WithJfr extends EngineChecks {

		WithJfr() {
			super(EngineChoice.JFR, "jfr", Set.of("jdk.ExecutionSample"),
					Set.of("jdk.NativeMethodSample", "jdk.ExecutionSample", "jdk.ThreadSleep"),
					Set.of("jdk.ObjectAllocationSample"));
		}

	}

	abstract static class EngineChecks {

		private final EngineChoice choice;

		private final String engineName;

		private final Set<String> cpuEvents;

		private final Set<String> wallEvents;

		private final Set<String> allocEvents;

		private Path temp;

		private CollectingExporter collected;

		private JfrEvents events;

		private java.time.Instant workloadsStopped;

		private Profiler profiler;

		EngineChecks(EngineChoice choice, String engineName, Set<String> cpuEvents, Set<String> wallEvents,
				Set<String> allocEvents) {
			this.choice = choice;
			this.engineName = engineName;
			this.cpuEvents = cpuEvents;
			this.wallEvents = wallEvents;
			this.allocEvents = allocEvents;
		}

		@BeforeAll
		void recordWorkloads() throws Exception {
			this.temp = Files.createTempDirectory("profiler-tests");
			ProfilerSettings settings = ProfilerSettings.builder()
				.service("profiler-tests")
				.engine(this.choice)
				.uploadEnabled(false)
				.uploadPeriod(Duration.ofSeconds(60))
				.lockThreshold(Duration.ofMillis(1))
				.tempDirectory(this.temp)
				.build();
			this.collected = new CollectingExporter(this.temp);
			this.profiler = new Profiler(settings);
			this.profiler.addExporter(this.collected);
			this.profiler.start(false, false);
			assertThat(this.profiler.status().engine()).isEqualTo(this.engineName);
			assertThat(this.profiler.status().state()).isEqualTo(ProfilerStatus.State.RUNNING);
			Workloads workloads = Workloads.startAll();
			workloads.runFor(Duration.ofMillis(2500), Duration.ofMillis(1500), Duration.ofSeconds(30));
			// Records on until the first window (cut Session.FIRST_WINDOW after start) is
			// exported.
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (this.collected.windows().isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			this.workloadsStopped = java.time.Instant.now();
			workloads.stop();
			this.profiler.stop(true);
			this.events = JfrEvents.read(this.collected.files());
		}

		@AfterAll
		void stopProfiler() throws IOException {
			if (this.profiler != null) {
				this.profiler.stop(false);
			}
			FileSystemUtils.deleteRecursively(this.temp);
		}

		@Test
		void stopWithFlushDeliversTheLastWindow() {
			// The first window is cut Session.FIRST_WINDOW after start, the run lasts
			// longer, and the
			// period (60 s) does not come round before the stop.
			List<RecordedWindow> windows = this.collected.windows();
			assertThat(windows).hasSize(2);
			assertThat(windows).extracting(RecordedWindow::snapshot)
				.containsExactly(RecordedWindow.Snapshot.PERIODIC, RecordedWindow.Snapshot.ON_SHUTDOWN);
			assertThat(windows).allSatisfy((window) -> assertThat(window.engine()).isEqualTo(this.engineName));
			assertThat(windows.get(1).start()).isEqualTo(windows.get(0).end());
		}

		@Test
		void firstWindowIsCutSoonAfterStartWhateverThePeriod() {
			RecordedWindow first = this.collected.windows().get(0);
			Duration length = Duration.between(first.start(), first.end());
			assertThat(length).isGreaterThanOrEqualTo(Session.FIRST_WINDOW.minusMillis(100))
				.isLessThan(Duration.ofSeconds(60));
		}

		@Test
		void spinningMethodTopsTheCpuSamplesOfItsThread() {
			List<RecordedEvent> samples = this.events.of(this.cpuEvents, "spinner");
			assertThat(samples).hasSizeGreaterThan(20);
			assertThat(JfrEvents.share(samples, (e) -> "spinInKnownMethod".equals(JfrEvents.topMethod(e))))
				.isGreaterThan(0.5);
		}

		@Test
		void allocationSamplesNameTheAllocatingMethod() {
			List<RecordedEvent> samples = this.events.of(this.allocEvents, "allocator");
			assertThat(samples).isNotEmpty();
			assertThat(JfrEvents.share(samples, (e) -> JfrEvents.stackHas(e, "allocateInKnownMethod")))
				.isGreaterThan(0.9);
		}

		@Test
		void lockSamplesNameTheMonitorClass() {
			List<RecordedEvent> samples = this.events.of(Set.of("jdk.JavaMonitorEnter"));
			assertThat(samples).isNotEmpty();
			assertThat(samples).anySatisfy((event) -> {
				assertThat(event.getClass("monitorClass").getName())
					.isEqualTo(Workloads.ContendedMonitor.class.getName());
				assertThat(JfrEvents.stackHas(event, "holdMonitor")).isTrue();
			});
		}

		@Test
		void wallSamplesShowTheSleepingMethod() {
			// Only while the sleeper lived: wall-clock samples keep a thread's identity
			// by its OS
			// thread id, which the JVM may give a new native thread (a GC worker) once
			// the
			// sleeper has ended, before the profiler stops.
			List<RecordedEvent> samples = this.events.of(this.wallEvents, "sleeper")
				.stream()
				.filter((event) -> event.getStartTime().isBefore(this.workloadsStopped))
				.toList();
			assertThat(samples).hasSizeGreaterThan(5);
			assertThat(JfrEvents.share(samples, (e) -> JfrEvents.stackHas(e, "sleepInKnownMethod"))).isGreaterThan(0.9);
		}

	}

}
