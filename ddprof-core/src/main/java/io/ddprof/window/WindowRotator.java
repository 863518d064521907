package io.ddprof.window;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.ddprof.engine.Engine;
import io.ddprof.engine.EngineException;
import io.ddprof.engine.RecordingOptions;
import io.ddprof.engine.SamplingPlan;
import io.ddprof.problem.ProblemLog;
import org.jspecify.annotations.Nullable;

/**
 * Cuts the continuous recording into windows: every period (and on demand) the engine
 * switches to a new file and the finished one becomes a {@link RecordedWindow} handed to
 * the exporters. Runs on its own thread ({@code ddprof-recorder}); an engine failure
 * never escapes: the window is still delivered, the problem reported, and the engine
 * restarted at the next period.
 */
public final class WindowRotator {

	private final Engine engine;

	private final SamplingPlan plan;

	private final BooleanSupplier wallThreadFilter;

	private final Path directory;

	private final Function<RecordedWindow, CompletableFuture<RecordedWindow>> exporters;

	private final ProblemLog problems;

	private final Clock clock;

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final RotationTimer timer;

	private long sequence;

	private long currentSequence;

	private @Nullable Instant currentStart;

	private long currentSeam;

	private @Nullable RecordingOptions currentOptions;

	private boolean recording;

	/**
	 * Set for good by {@link #stop}: a periodic cut that waited for the lock must not
	 * open the engine again.
	 */
	private boolean stopped;

	private volatile WindowStats stats = WindowStats.NONE;

	/**
	 * A rotator writing window files into {@code directory} and handing them to
	 * {@code exporters}, which returns a future completed once the window was exported;
	 * its steps run on a thread of its own ({@link RotationTimer#ownThread()}).
	 */
	public WindowRotator(Engine engine, SamplingPlan plan, BooleanSupplier wallThreadFilter, Path directory,
			Function<RecordedWindow, CompletableFuture<RecordedWindow>> exporters, ProblemLog problems, Clock clock) {
		this(engine, plan, wallThreadFilter, directory, exporters, problems, clock, RotationTimer.ownThread());
	}

	/**
	 * A rotator as above whose timed steps {@code timer} runs, and whose windows begin
	 * and end at the instants {@code clock} tells.
	 */
	public WindowRotator(Engine engine, SamplingPlan plan, BooleanSupplier wallThreadFilter, Path directory,
			Function<RecordedWindow, CompletableFuture<RecordedWindow>> exporters, ProblemLog problems, Clock clock,
			RotationTimer timer) {
		this.engine = engine;
		this.plan = plan;
		this.wallThreadFilter = wallThreadFilter;
		this.directory = directory;
		this.exporters = exporters;
		this.problems = problems;
		this.clock = clock;
		this.timer = timer;
	}

	/**
	 * Starts recording after {@code delay} and cuts a window every {@code period}. With
	 * no delay the first recording starts before this returns, so that a failing engine
	 * shows at once.
	 * @throws EngineException when the first recording cannot start (only without a
	 * delay)
	 */
	public void start(Duration delay, Duration period) throws EngineException {
		start(delay, period, period);
	}

	/**
	 * Starts recording after {@code delay}, cuts the first window {@code first} later and
	 * then one every {@code period}. With no delay the first recording starts before this
	 * returns, so that a failing engine shows at once.
	 * @throws EngineException when the first recording cannot start (only without a
	 * delay)
	 */
	public void start(Duration delay, Duration first, Duration period) throws EngineException {
		if (delay.isZero()) {
			open();
		}
		else {
			this.timer.once(delay, this::openQuietly);
		}
		if (!first.equals(period)) {
			this.timer.once(delay.plus(first), () -> cut(RecordedWindow.Snapshot.PERIODIC));
		}
		Duration second = first.equals(period) ? period : first.plus(period);
		this.timer.atFixedRate(delay.plus(second), period, () -> cut(RecordedWindow.Snapshot.PERIODIC));
		if (this.engine.canAdjust()) {
			this.timer.withFixedDelay(delay.plus(SamplingPlan.REPLAN_PERIOD), SamplingPlan.REPLAN_PERIOD, this::replan);
		}
	}

	/**
	 * Cuts the current window now (it is exported like any other) and goes on recording.
	 * @return the window, completed once every exporter has seen it; {@code null} when
	 * not recording
	 */
	public @Nullable CompletableFuture<RecordedWindow> cutNow() {
		return cut(RecordedWindow.Snapshot.ON_DEMAND);
	}

	/**
	 * Stops recording. With {@code flush} the partial window is exported; without, it is
	 * deleted.
	 * @return the last window's export, or {@code null} when there was none
	 */
	public synchronized @Nullable CompletableFuture<RecordedWindow> stop(boolean flush) {
		this.stopped = true;
		this.timer.cancel();
		if (!this.recording) {
			return null;
		}
		this.recording = false;
		if (!flush) {
			this.engine.stop(null);
			return null;
		}
		Path window = windowFile();
		this.engine.stop(window);
		RecordedWindow last = finish(RecordedWindow.Snapshot.ON_SHUTDOWN, this.clock.instant(), window);
		return (last != null) ? this.exporters.apply(last) : null;
	}

	/**
	 * Copies what the current window recorded so far into {@code copy}, without cutting
	 * it: the window goes on, keeps its boundaries, and nothing is exported. For
	 * downloads, which must disturb neither the windows nor the exporters.
	 * @return the copy as a profile of the current window up to now, or {@code null} when
	 * nothing is recording or the engine has nothing complete to copy yet
	 * @throws IOException when the copy cannot be written
	 */
	public synchronized @Nullable RecordedWindow copyCurrent(Path copy) throws IOException {
		if (!this.recording || !this.engine.copyCurrent(copy)) {
			return null;
		}
		return new RecordedWindow(this.currentSequence, this.currentStart, this.clock.instant(), this.engine.name(),
				copy, RecordedWindow.Snapshot.ON_DEMAND, this.currentSeam, this.currentOptions);
	}

	/** What the rotation has done so far. */
	public WindowStats stats() {
		return this.stats;
	}

	/** Whether the engine is recording now. */
	public synchronized boolean isRecording() {
		return this.recording;
	}

	private void openQuietly() {
		try {
			open();
		}
		catch (EngineException ex) {
			this.problems.report("engine.start", ex.getMessage() + "; retrying at the next window");
		}
	}

	private synchronized void open() throws EngineException {
		if (this.stopped) {
			return;
		}
		RecordingOptions options = this.plan.next(this.sequence + 1, this.wallThreadFilter.getAsBoolean());
		this.engine.start(this.directory, options);
		this.currentOptions = this.engine.options();
		this.currentSequence = ++this.sequence;
		this.currentStart = this.clock.instant();
		this.currentSeam = 0;
		this.recording = true;
		this.stats = this.stats.opened(this.currentStart, this.currentOptions);
	}

	/**
	 * Between cuts: restarts the recording within the window when the plan says its
	 * allocation interval no longer fits (see {@link SamplingPlan#replan}). A failed
	 * restart ends the window there, exported with what it holds; recording resumes at
	 * the next period.
	 */
	private synchronized void replan() {
		if (!this.recording || this.stopped) {
			return;
		}
		long cpuBefore = this.threads.getCurrentThreadCpuTime();
		try {
			RecordingOptions next = this.plan.replan(this.engine.options());
			if (next == null) {
				return;
			}
			long seam = this.engine.adjust(next);
			this.currentOptions = this.engine.options();
			this.stats = this.stats.replanned(seam, this.currentOptions);
		}
		catch (EngineException | RuntimeException ex) {
			Path window = windowFile();
			this.engine.stop(window);
			this.recording = false;
			RecordedWindow finished = finish(RecordedWindow.Snapshot.PERIODIC, this.clock.instant(), window);
			this.problems.report("engine.restart", "async-profiler could not restart with a new allocation interval ("
					+ ex.getMessage() + "); retrying at the next window");
			if (finished != null) {
				this.exporters.apply(finished);
			}
		}
		finally {
			this.stats = this.stats.withCpu(Math.max(0, this.threads.getCurrentThreadCpuTime() - cpuBefore));
		}
	}

	private synchronized @Nullable CompletableFuture<RecordedWindow> cut(RecordedWindow.Snapshot snapshot) {
		if (!this.recording) {
			if (snapshot == RecordedWindow.Snapshot.PERIODIC && !this.stopped) {
				openQuietly();
			}
			return null;
		}
		long cpuBefore = this.threads.getCurrentThreadCpuTime();
		RecordingOptions options = this.plan.next(this.sequence + 1, this.wallThreadFilter.getAsBoolean());
		Path window = windowFile();
		RecordedWindow finished;
		try {
			long seam = this.engine.cut(window, options);
			Instant boundary = this.clock.instant();
			finished = finish(snapshot, boundary, window);
			this.currentSequence = ++this.sequence;
			this.currentStart = boundary;
			this.currentSeam = seam;
			this.currentOptions = this.engine.options();
			this.stats = this.stats.opened(boundary, this.currentOptions).withSeam(seam);
		}
		catch (EngineException ex) {
			finished = finish(snapshot, this.clock.instant(), window);
			// The engine may have gone on recording (async-profiler restarts even when
			// the window
			// could not be written): stop it for sure, or the start at the next period
			// would find
			// it running, fail, and no window would ever be cut again.
			this.engine.stop(null);
			this.recording = false;
			this.problems.report("engine.cut", ex.getMessage() + "; retrying at the next window");
		}
		if (finished != null && finished.sequence() == 1) {
			this.engine.inspect(finished.jfr());
		}
		this.stats = this.stats.withCpu(Math.max(0, this.threads.getCurrentThreadCpuTime() - cpuBefore));
		return (finished != null) ? this.exporters.apply(finished) : null;
	}

	/**
	 * The finished window, or {@code null} (reported) when the engine could not write its
	 * file.
	 */
	private @Nullable RecordedWindow finish(RecordedWindow.Snapshot snapshot, Instant end, Path window) {
		if (!Files.exists(window)) {
			// Counted: every window cut is exported or counted as dropped.
			this.stats = this.stats.recorded().lost();
			this.problems.report("window.missing",
					"window " + this.currentSequence + " was lost: the engine wrote no file");
			return null;
		}
		this.stats = this.stats.recorded();
		return new RecordedWindow(this.currentSequence, this.currentStart, end, this.engine.name(), window, snapshot,
				this.currentSeam, this.currentOptions);
	}

	private Path windowFile() {
		return this.directory.resolve("window-" + this.currentSequence + ".jfr");
	}

	/**
	 * What the rotation has done.
	 *
	 * @param currentWindowStart when the window being recorded started, or {@code null}
	 * @param windowsRecorded windows finished so far, lost ones included
	 * @param lastSeamNanos unrecorded time at the last seam
	 * @param maxSeamNanos longest unrecorded time at any seam
	 * @param cpuNanos CPU time the rotations took
	 * @param options what the current window records
	 * @param windowsLost windows finished whose file the engine could not write (a full
	 * disk, say)
	 * @param replans restarts within a window for a new allocation interval
	 * @param unrecordedNanos unrecorded time at every seam and replan together
	 */
	public record WindowStats(@Nullable Instant currentWindowStart, long windowsRecorded, long lastSeamNanos,
			long maxSeamNanos, long cpuNanos, @Nullable RecordingOptions options, long windowsLost, long replans,
			long unrecordedNanos) {

		/** Nothing done yet: no window recorded, none being recorded. */
		public static final WindowStats NONE = new WindowStats(null, 0, 0, 0, 0, null, 0, 0, 0);

		WindowStats opened(Instant start, @Nullable RecordingOptions options) {
			return new WindowStats(start, this.windowsRecorded, this.lastSeamNanos, this.maxSeamNanos, this.cpuNanos,
					options, this.windowsLost, this.replans, this.unrecordedNanos);
		}

		WindowStats withSeam(long seam) {
			return new WindowStats(this.currentWindowStart, this.windowsRecorded, seam,
					Math.max(seam, this.maxSeamNanos), this.cpuNanos, this.options, this.windowsLost, this.replans,
					this.unrecordedNanos + seam);
		}

		WindowStats replanned(long seam, @Nullable RecordingOptions options) {
			return new WindowStats(this.currentWindowStart, this.windowsRecorded, seam,
					Math.max(seam, this.maxSeamNanos), this.cpuNanos, options, this.windowsLost, this.replans + 1,
					this.unrecordedNanos + seam);
		}

		WindowStats withCpu(long nanos) {
			return new WindowStats(this.currentWindowStart, this.windowsRecorded, this.lastSeamNanos, this.maxSeamNanos,
					this.cpuNanos + nanos, this.options, this.windowsLost, this.replans, this.unrecordedNanos);
		}

		WindowStats recorded() {
			return new WindowStats(this.currentWindowStart, this.windowsRecorded + 1, this.lastSeamNanos,
					this.maxSeamNanos, this.cpuNanos, this.options, this.windowsLost, this.replans,
					this.unrecordedNanos);
		}

		WindowStats lost() {
			return new WindowStats(this.currentWindowStart, this.windowsRecorded, this.lastSeamNanos, this.maxSeamNanos,
					this.cpuNanos, this.options, this.windowsLost + 1, this.replans, this.unrecordedNanos);
		}

	}

}
