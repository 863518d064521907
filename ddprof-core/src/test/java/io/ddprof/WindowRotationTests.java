package io.ddprof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.CollectingExporter;
import io.ddprof.export.ProfileHistory;
import io.ddprof.export.WindowStore;
import io.ddprof.window.ManualTimer;
import io.ddprof.window.RecordedWindow;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Continuous windows: boundaries shared, seams short, local directory and history
 * bounded. The test drives the rotation's time with a {@link ManualTimer}: each period
 * passes when the test says, once the workloads have done enough for the window to hold
 * samples.
 */
class WindowRotationTests {

	private static final Duration PERIOD = Duration.ofSeconds(1);

	@TempDir
	Path temp;

	private final ManualTimer timer = new ManualTimer();

	@ParameterizedTest
	@EnumSource(value = EngineChoice.class, names = { "ASYNC_PROFILER", "JFR" })
	void consecutiveWindowsShareTheirBoundariesAndLandInTheLocalDirectory(EngineChoice engine) throws Exception {
		Path local = this.temp.resolve("local");
		CollectingExporter collected = new CollectingExporter(Files.createDirectories(this.temp.resolve("collected")));
		// A fixed allocation interval: one-second windows on a loaded machine see
		// allocation rates
		// swing by more than 2x, and each such swing restarts the recording by design.
		Profiler profiler = profiler(settings(engine).localDirectory(local).allocInterval(256L * 1024));
		profiler.addExporter(collected);
		profiler.start(false, false);
		Workloads workloads = Workloads.startAll();
		runPeriods(workloads, 4, Duration.ofMillis(200));
		workloads.stop();
		String reason = profiler.status().engineReason();
		profiler.stop(true);
		if (engine == EngineChoice.ASYNC_PROFILER) {
			// perf_events where the kernel allows it, ctimer in most containers: either
			// way, status says which.
			assertThat(reason).containsPattern("cpu sampled with (perf_events|ctimer|itimer)");
		}

		List<RecordedWindow> windows = collected.windows();
		assertThat(windows).hasSize(5);
		// Each period's window spans the period exactly, on the profiler's clock.
		assertThat(windows.subList(0, 4)).allMatch((w) -> Duration.between(w.start(), w.end()).equals(PERIOD));
		for (int i = 1; i < windows.size(); i++) {
			assertThat(windows.get(i).start()).isEqualTo(windows.get(i - 1).end());
			assertThat(windows.get(i).sequence()).isEqualTo(windows.get(i - 1).sequence() + 1);
			// The seam is reported, and small next to a window.
			assertThat(Duration.ofNanos(windows.get(i).seamNanos())).isLessThan(Duration.ofMillis(500));
		}
		if (engine == EngineChoice.ASYNC_PROFILER) {
			// With nothing to re-plan, every window is cut by dump while sampling goes
			// on: no seam.
			assertThat(windows.subList(1, windows.size())).allMatch((w) -> w.seamNanos() == 0);
		}
		assertThat(windows.subList(0, windows.size() - 1))
			.allMatch((w) -> w.snapshot() == RecordedWindow.Snapshot.PERIODIC);
		assertThat(windows.get(windows.size() - 1).snapshot()).isEqualTo(RecordedWindow.Snapshot.ON_SHUTDOWN);
		for (RecordedWindow window : windows) {
			assertThat(RecordingFile.readAllEvents(window.jfr())).isNotEmpty();
		}
		assertThat(jfrFiles(local)).hasSize(windows.size());
		assertThat(jfrFiles(local)).allMatch((file) -> file.getFileName().toString().startsWith("rotation-tests-"));
	}

	@Test
	void localDirectoryStaysUnderItsSizeBound() throws Exception {
		Path local = this.temp.resolve("local");
		long bound = 200 * 1024;
		CollectingExporter collected = new CollectingExporter(Files.createDirectories(this.temp.resolve("collected")));
		Profiler profiler = profiler(settings(EngineChoice.ASYNC_PROFILER).localDirectory(local)
			.localMaxSize(bound)
			.cpuInterval(Duration.ofMillis(1)));
		profiler.addExporter(collected);
		profiler.start(false, false);
		Workloads workloads = Workloads.startAll();
		runPeriods(workloads, 4, Duration.ofMillis(500));
		workloads.stop();
		ProfilerStatus running = profiler.status();
		profiler.stop(true);

		long written = 0;
		for (Path file : collected.files()) {
			written += Files.size(file);
		}
		long size = 0;
		for (Path file : jfrFiles(local)) {
			size += Files.size(file);
		}
		// More was written than the bound allows, and the oldest files were deleted to
		// stay under it.
		assertThat(written).isGreaterThan(bound);
		assertThat(size).isLessThanOrEqualTo(bound);
		assertThat(jfrFiles(local)).isNotEmpty().hasSizeLessThan(collected.windows().size());
		assertThat(running.local().deleted()).isPositive();
	}

	@Test
	void historyDropsItsOldestWindowWhenFull() throws Exception {
		Profiler profiler = profiler(settings(EngineChoice.ASYNC_PROFILER).historyMaxWindows(2));
		profiler.start(false, false);
		Workloads workloads = Workloads.startAll();
		runPeriods(workloads, 3, Duration.ofMillis(100));
		workloads.stop();
		ProfileHistory history = profiler.history();
		List<RecordedWindow> held = history.windows();
		WindowStore.Usage usage = history.usage();
		long recorded = profiler.status().windowsRecorded();
		profiler.stop(false);

		assertThat(recorded).isEqualTo(3);
		assertThat(held).hasSize(2);
		assertThat(usage.evicted()).isEqualTo(recorded - 2);
		// The newest windows are kept: their sequence numbers are the last two recorded.
		assertThat(held).extracting(RecordedWindow::sequence).containsExactly(recorded - 1, recorded);
	}

	@Test
	void aWindowThatCannotBeWrittenIsCountedAsDroppedAndRecordingGoesOn() throws Exception {
		CollectingExporter collected = new CollectingExporter(Files.createDirectories(this.temp.resolve("collected")));
		Profiler profiler = profiler(settings(EngineChoice.ASYNC_PROFILER));
		profiler.addExporter(collected);
		profiler.start(false, false);
		// A file already where the second window goes: writing it fails as on a full
		// disk, after
		// async-profiler has been stopped and restarted for the cut.
		Path windows;
		try (Stream<Path> sessions = Files.list(this.temp)) {
			windows = sessions.filter((dir) -> dir.getFileName().toString().startsWith("ddprof-"))
				.map((dir) -> dir.resolve("windows"))
				.filter(Files::isDirectory)
				.findFirst()
				.orElseThrow();
		}
		Files.writeString(windows.resolve("window-2.jfr"), "in the way");
		Workloads workloads = Workloads.startAll();
		runPeriods(workloads, 4, Duration.ofMillis(200));
		workloads.stop();
		ProfilerStatus running = profiler.status();
		profiler.stop(true);

		assertThat(running.problems()).anyMatch((problem) -> problem.message().contains("window 2 was lost"));
		assertThat(running.windowsDropped()).isOne();
		assertThat(running.state()).isEqualTo(ProfilerStatus.State.RUNNING);
		List<Long> sequences = collected.windows().stream().map(RecordedWindow::sequence).toList();
		// Recording started again at the next period: windows after the lost one are
		// exported whole.
		assertThat(sequences).contains(1L, 3L).doesNotContain(2L);
		assertThat(running.windowsRecorded()).isEqualTo(running.windowsDropped()
				+ sequences.stream().filter((sequence) -> sequence <= running.windowsRecorded()).count());
		for (RecordedWindow window : collected.windows()) {
			assertThat(RecordingFile.readAllEvents(window.jfr())).isNotEmpty();
		}
	}

	@Test
	void stopWithoutFlushDropsThePartialWindow() throws Exception {
		CollectingExporter collected = new CollectingExporter(Files.createDirectories(this.temp.resolve("collected")));
		Profiler profiler = profiler(settings(EngineChoice.ASYNC_PROFILER).uploadPeriod(Duration.ofSeconds(30)));
		profiler.addExporter(collected);
		profiler.start(false, false);
		// The first window is cut Session.FIRST_WINDOW after start; most of a period
		// passes after
		// it: the second window is partial when the profiler stops.
		this.timer.advance(Duration.ofSeconds(29));
		profiler.stop(false);
		assertThat(collected.windows()).singleElement()
			.satisfies((window) -> assertThat(Duration.between(window.start(), window.end()))
				.isEqualTo(Session.FIRST_WINDOW));
	}

	@Test
	void theFirstWindowIsCutSoonAfterStartAndTheNextOnesEveryPeriod() throws Exception {
		CollectingExporter collected = new CollectingExporter(Files.createDirectories(this.temp.resolve("collected")));
		Duration period = Duration.ofSeconds(30);
		Profiler profiler = profiler(settings(EngineChoice.ASYNC_PROFILER).uploadPeriod(period));
		profiler.addExporter(collected);
		profiler.start(false, false);
		Workloads workloads = Workloads.startAll();
		workloads.awaitSpinnerCpu(Duration.ofMillis(100));
		this.timer.advance(Session.FIRST_WINDOW);
		workloads.awaitSpinnerCpu(Duration.ofMillis(100));
		this.timer.advance(period);
		workloads.awaitSpinnerCpu(Duration.ofMillis(100));
		this.timer.advance(period);
		workloads.stop();
		profiler.stop(false);

		List<RecordedWindow> windows = collected.windows();
		assertThat(windows).extracting((w) -> Duration.between(w.start(), w.end()))
			.containsExactly(Session.FIRST_WINDOW, period, period);
		assertThat(windows).allMatch((w) -> w.snapshot() == RecordedWindow.Snapshot.PERIODIC);
		for (int i = 1; i < windows.size(); i++) {
			assertThat(windows.get(i).start()).isEqualTo(windows.get(i - 1).end());
		}
	}

	/** A profiler whose windows this test's timer cuts, on the timer's clock. */
	private Profiler profiler(ProfilerSettings.Builder settings) {
		return new Profiler(settings.build(), this.timer.clock(), () -> this.timer);
	}

	/**
	 * Lets {@code periods} periods pass, each once the spinner has had {@code cpu} of CPU
	 * time in it.
	 */
	private void runPeriods(Workloads workloads, int periods, Duration cpu) {
		for (int i = 0; i < periods; i++) {
			workloads.awaitSpinnerCpu(cpu);
			this.timer.advance(PERIOD);
		}
	}

	private ProfilerSettings.Builder settings(EngineChoice engine) {
		return ProfilerSettings.builder()
			.service("rotation-tests")
			.engine(engine)
			.uploadEnabled(false)
			.uploadPeriod(PERIOD)
			.tempDirectory(this.temp);
	}

	private static List<Path> jfrFiles(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((file) -> file.toString().endsWith(".jfr")).sorted().toList();
		}
	}

}
