package io.ddprof.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.ddprof.context.SpanSink;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import one.profiler.AsyncProfiler;
import one.profiler.Span;
import org.jspecify.annotations.Nullable;

/**
 * The default engine: one async-profiler session recording every enabled event into JFR,
 * cut into windows by {@code dump} (see {@link #cut}). The command string is built from
 * validated numbers and the profiler's own file names only, never from user input.
 */
public final class AsyncProfilerEngine implements Engine {

	/**
	 * The class whose presence tells that async-profiler's Java API is on the class path.
	 */
	public static final String API_CLASS = "one.profiler.AsyncProfiler";

	private final AsyncProfiler profiler;

	private final SpanSink spanSink = new AsyncProfilerSpanSink();

	private final WallThreadFilter inSpan = new WallThreadFilter();

	/**
	 * async-profiler's {@code jfropts} bits 1 (no {@code jdk.JVMInformation},
	 * {@code jdk.OSInformation}, {@code jdk.CPUInformation}) and 2 (no
	 * {@code jdk.InitialSystemProperty}): the JVM information holds every JVM argument
	 * ({@code -Dspring.datasource.password=...}) and the program's arguments
	 * ({@code --ddprof.api-key=...}), the system properties every {@code -D}.
	 * async-profiler cannot keep the JVM's version without its arguments, so the JVM's
	 * name, vendor and version travel in the upload's tags and headers instead (see
	 * {@code RuntimeInfo}).
	 */
	static final int JFR_OPTIONS = 0x1 | 0x2;

	/**
	 * Size at which the recording restarts into a new file rather than growing further.
	 */
	static final long MAX_RECORDING_BYTES = 64L << 20;

	/**
	 * Change of the allocation interval beyond which the recording restarts to apply it.
	 * Until then windows keep the interval in force and take up to this factor more or
	 * fewer samples than planned (at 2, windows under load went on with an interval
	 * planned from the start-up window, at twice the target rate). The plan averages the
	 * allocation rate over about half a minute, so it moves this much only when the load
	 * does.
	 */
	static final double ALLOC_RESTART_FACTOR = 1.25;

	private volatile boolean running;

	private @Nullable Path workDirectory;

	private @Nullable Path recording;

	private int recordings;

	private long consumed;

	private @Nullable RecordingOptions options;

	/**
	 * Recordings stopped by {@link #adjust} within the current window, oldest first:
	 * their chunks start the window.
	 */
	private final List<JfrChunks.Range> earlier = new ArrayList<>();

	private volatile String detail = "";

	private volatile boolean threadFilter;

	private AsyncProfilerEngine(AsyncProfiler profiler) {
		this.profiler = profiler;
	}

	/**
	 * Loads the native library from async-profiler's jar.
	 * @throws EngineException when it cannot load (unsupported platform, failed
	 * {@code dlopen})
	 */
	public static AsyncProfilerEngine load() throws EngineException {
		try {
			return new AsyncProfilerEngine(AsyncProfiler.getInstance());
		}
		catch (LinkageError | RuntimeException ex) {
			throw new EngineException("async-profiler's native library did not load (" + ex.getMessage() + ")", ex);
		}
	}

	/** The loaded library's version. */
	public String version() {
		return this.profiler.getVersion();
	}

	@Override
	public String name() {
		return "async-profiler";
	}

	@Override
	public synchronized void start(Path workDirectory, RecordingOptions options) throws EngineException {
		this.workDirectory = workDirectory;
		discardEarlier();
		begin(options);
	}

	/**
	 * Stops the recording and starts a new one with {@code next}, as a cut that needs a
	 * restart does, but without cutting: the window goes on, and its file holds the
	 * chunks of both. The current chunk is closed with a dump first: without it, a reader
	 * of the window (the JDK's parser carries constants over from one chunk to the next)
	 * labels the new recording's first samples with the stopped one's stacks.
	 */
	@Override
	public synchronized long adjust(RecordingOptions next) throws EngineException {
		if (!this.running) {
			throw new EngineException("async-profiler is not recording");
		}
		Path previous = this.recording;
		long from = this.consumed;
		try {
			this.profiler.execute("dump,jfr,file=" + previous.toAbsolutePath() + ",jfropts=" + JFR_OPTIONS);
		}
		catch (IOException | IllegalStateException ex) {
			// Still recording: the caller ends the window here instead.
			throw new EngineException(
					"async-profiler could not close the chunk before a restart (" + ex.getMessage() + ")", ex);
		}
		long before = System.nanoTime();
		stopQuietly();
		try {
			long end = Files.size(previous);
			if (end > from) {
				this.earlier.add(new JfrChunks.Range(previous, from, end));
			}
		}
		catch (IOException ex) {
			// The stopped recording cannot be read: it would make the window unreadable.
			discard(previous);
		}
		begin(next);
		return System.nanoTime() - before;
	}

	@Override
	public boolean canAdjust() {
		return true;
	}

	/**
	 * Cuts a window. Usually async-profiler's {@code dump} closes the current JFR chunk
	 * while sampling goes on, and the chunks completed since the last cut are copied out:
	 * nothing goes unrecorded. The recording is restarted (stop, then start into a new
	 * file: a seam of a few milliseconds, more on a loaded machine) only when the next
	 * options differ enough to matter or the file has grown past
	 * {@value #MAX_RECORDING_BYTES} bytes.
	 */
	@Override
	public synchronized long cut(Path window, RecordingOptions next) throws EngineException {
		if (!this.running) {
			throw new EngineException("async-profiler is not recording");
		}
		this.inSpan.sweep();
		if (!needsRestart(next) && size(this.recording) < MAX_RECORDING_BYTES) {
			try {
				this.profiler.execute("dump,jfr,file=" + this.recording.toAbsolutePath() + ",jfropts=" + JFR_OPTIONS);
				long end = JfrChunks.completeEnd(this.recording, this.consumed);
				if (end > this.consumed) {
					JfrChunks.copy(withEarlier(new JfrChunks.Range(this.recording, this.consumed, end)), window);
					this.consumed = end;
					discardEarlier();
					return 0;
				}
			}
			catch (IOException | IllegalStateException ex) {
				// Falls back to a restart, which always yields a complete file.
			}
		}
		long before = System.nanoTime();
		Path previous = this.recording;
		long from = this.consumed;
		stopQuietly();
		try {
			extract(previous, from, window);
		}
		catch (IOException ex) {
			// A full or broken disk: no half-written window for the exporters, and no
			// stopped
			// recording left behind to keep the disk full.
			discard(window, previous);
			discardEarlier();
			// The exception's class says what happened: a file system exception's message
			// is often only the path.
			throw new EngineException("could not write the window file " + window + " (" + ex.getClass().getSimpleName()
					+ ": " + ex.getMessage() + ")", ex);
		}
		finally {
			begin(next);
		}
		return System.nanoTime() - before;
	}

	/**
	 * {@code dump} closes the current chunk, as for a cut, and the chunks since the last
	 * cut are copied; {@code consumed} stays where it is, so the next window holds them
	 * again.
	 */
	@Override
	public synchronized boolean copyCurrent(Path copy) throws IOException {
		if (!this.running) {
			return false;
		}
		try {
			this.profiler.execute("dump,jfr,file=" + this.recording.toAbsolutePath());
		}
		catch (IllegalStateException ex) {
			return false;
		}
		long end = JfrChunks.completeEnd(this.recording, this.consumed);
		if (end <= this.consumed && this.earlier.isEmpty()) {
			return false;
		}
		JfrChunks.copy(withEarlier(new JfrChunks.Range(this.recording, this.consumed, end)), copy);
		return true;
	}

	@Override
	public synchronized void stop(@Nullable Path window) {
		if (!this.running) {
			// A restart within the window failed: what was recorded before it is still
			// the window's.
			if (window != null && !this.earlier.isEmpty()) {
				try {
					JfrChunks.copy(List.copyOf(this.earlier), window);
				}
				catch (IOException ex) {
					discard(window);
				}
			}
			discardEarlier();
			return;
		}
		Path previous = this.recording;
		stopQuietly();
		try {
			if (window != null) {
				extract(previous, this.consumed, window);
			}
			else {
				Files.deleteIfExists(previous);
			}
		}
		catch (IOException ex) {
			// The last window is lost; the rotator reports a missing file.
			discard(window, previous);
		}
		finally {
			discardEarlier();
		}
	}

	private static void discard(@Nullable Path... files) {
		for (Path file : files) {
			try {
				if (file != null) {
					Files.deleteIfExists(file);
				}
			}
			catch (IOException ex) {
				// The working directory is deleted as a whole when the profiler stops.
			}
		}
	}

	private void begin(RecordingOptions options) throws EngineException {
		this.recordings++;
		this.recording = this.workDirectory.resolve("recording-" + this.recordings + ".jfr");
		this.consumed = 0;
		execute(command(this.recording, options), (this.recordings == 1) ? "start" : "restart");
		this.options = options;
		this.threadFilter = options.wallThreadFilter() && options.wallInterval() != null;
		this.running = true;
		if (this.threadFilter) {
			// A new recording starts with an empty thread filter: re-add the threads in a
			// span.
			this.inSpan.forEachInSpan(this.profiler::addThread);
		}
	}

	/**
	 * Moves (or copies from {@code from}) the rest of a stopped recording into
	 * {@code window}, after the recordings stopped earlier in the window.
	 */
	private void extract(Path recording, long from, Path window) throws IOException {
		if (from == 0 && this.earlier.isEmpty()) {
			Files.move(recording, window);
		}
		else {
			JfrChunks.copy(withEarlier(new JfrChunks.Range(recording, from, Files.size(recording))), window);
			Files.delete(recording);
			discardEarlier();
		}
	}

	private List<JfrChunks.Range> withEarlier(JfrChunks.Range last) {
		List<JfrChunks.Range> ranges = new ArrayList<>(this.earlier);
		if (last.to() > last.from()) {
			ranges.add(last);
		}
		return ranges;
	}

	private void discardEarlier() {
		this.earlier.forEach((range) -> discard(range.file()));
		this.earlier.clear();
	}

	/**
	 * Whether the next window's options differ from the running ones by more than the
	 * jitter.
	 */
	boolean needsRestart(RecordingOptions next) {
		RecordingOptions now = this.options;
		return differ(now.cpuInterval(), next.cpuInterval()) || differ(now.wallInterval(), next.wallInterval())
				|| differ(now.lockThreshold(), next.lockThreshold()) || now.live() != next.live()
				|| now.wallThreadFilter() != next.wallThreadFilter() || now.stackDepth() != next.stackDepth()
				|| differ(now.allocInterval(), next.allocInterval(), ALLOC_RESTART_FACTOR);
	}

	private static boolean differ(@Nullable Duration a, @Nullable Duration b) {
		if (a == null || b == null) {
			return a != b;
		}
		// Jitter of up to 5% either way makes two windows differ by up to about 10%: only
		// a change
		// beyond a quarter restarts.
		return differ(a.toNanos(), b.toNanos(), 1.25);
	}

	private static boolean differ(@Nullable Long a, @Nullable Long b, double factor) {
		if (a == null || b == null) {
			return a != b;
		}
		double ratio = (double) Math.max(a, b) / Math.max(1, Math.min(a, b));
		return ratio > factor;
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return Long.MAX_VALUE;
		}
	}

	@Override
	public SpanSink spanSink() {
		return this.spanSink;
	}

	@Override
	public @Nullable RecordingOptions options() {
		return this.options;
	}

	@Override
	public String detail() {
		return this.detail;
	}

	/**
	 * Finds the CPU sampling mechanism async-profiler chose: {@code perf_events} where
	 * the kernel allows it, {@code ctimer} otherwise (most containers), recorded as a
	 * {@code jdk.ActiveSetting}.
	 */
	@Override
	public void inspect(Path completedFile) {
		try (RecordingFile file = new RecordingFile(completedFile)) {
			while (file.hasMoreEvents()) {
				RecordedEvent event = file.readEvent();
				if (event.getEventType().getName().equals("jdk.ActiveSetting")
						&& "engine".equals(event.getString("name"))) {
					this.detail = "cpu sampled with " + event.getString("value");
					return;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			this.detail = "cpu sampling mechanism unknown (" + ex.getMessage() + ")";
		}
	}

	private void stopQuietly() {
		if (!this.running) {
			return;
		}
		this.running = false;
		try {
			this.profiler.execute("stop");
		}
		catch (Exception ex) {
			// Already stopped by someone else: the file is as complete as it will get.
		}
	}

	private void execute(String command, String action) throws EngineException {
		try {
			this.profiler.execute(command);
		}
		catch (Exception ex) {
			throw new EngineException("async-profiler could not " + action + " (" + ex.getMessage() + ")", ex);
		}
	}

	/** The async-profiler command for one window; visible for tests. */
	static String command(Path file, RecordingOptions options) throws EngineException {
		String path = file.toAbsolutePath().toString();
		if (path.indexOf(',') >= 0) {
			throw new EngineException("the recording path '" + path
					+ "' contains a comma, which async-profiler cannot take; set ddprof.temp-directory to a path without one");
		}
		StringBuilder command = new StringBuilder("start,jfr,file=").append(path);
		if (options.cpuInterval() != null) {
			command.append(",event=cpu,interval=").append(options.cpuInterval().toNanos());
		}
		if (options.wallInterval() != null) {
			command.append(",wall=").append(options.wallInterval().toNanos());
			if (options.wallThreadFilter()) {
				command.append(",filter");
			}
		}
		if (options.allocInterval() != null) {
			command.append(",alloc=").append(options.allocInterval());
			if (options.live()) {
				command.append(",live");
			}
		}
		if (options.lockThreshold() != null) {
			command.append(",lock=").append(options.lockThreshold().toNanos());
		}
		command.append(",jstackdepth=").append(options.stackDepth());
		command.append(",jfropts=").append(JFR_OPTIONS);
		return command.toString();
	}

	/** How many threads the wall-clock filter's registry holds; visible for tests. */
	int wallFilterThreads() {
		return this.inSpan.size();
	}

	/**
	 * Span intervals through {@code one.profiler.Span}; wall-clock membership through the
	 * thread filter. Both are left out on virtual threads: async-profiler samples the
	 * carrier (OS) thread a virtual thread is mounted on, and {@code profiler.Span}
	 * records the carrier the scope closed on, whereas a virtual thread unmounts at every
	 * blocking call and may resume on another carrier. An interval from a virtual thread
	 * would then cover other requests' samples on that carrier (measured: a third to a
	 * half of them took the wrong span), and a wrong span is worse than none.
	 * {@link io.ddprof.engine.JfrEngine} samples virtual threads as themselves and ties
	 * them right.
	 */
	private final class AsyncProfilerSpanSink implements SpanSink {

		@Override
		public long begin() {
			// 0 makes end() record nothing.
			return VirtualThreads.current() ? 0 : Span.start();
		}

		/**
		 * Records the interval only when a sample was taken on this thread while it was
		 * open: the join never needs the others, and skipping them costs about 30 ns
		 * instead of 500 ns per scope change and keeps windows small.
		 */
		@Override
		public void end(long startTicks, String tag) {
			Span.endIfProfiled(startTicks, tag);
		}

		/**
		 * Endpoint names are always recorded: a sample in any span of the trace may need
		 * one.
		 */
		@Override
		public void mark(String tag) {
			Span.end(Span.start(), tag);
		}

		@Override
		public void threadEntered() {
			if (VirtualThreads.current()) {
				return;
			}
			if (AsyncProfilerEngine.this.inSpan.enter() && AsyncProfilerEngine.this.threadFilter) {
				AsyncProfilerEngine.this.profiler.addThread(Thread.currentThread());
			}
		}

		@Override
		public void threadLeft() {
			if (VirtualThreads.current()) {
				return;
			}
			if (AsyncProfilerEngine.this.inSpan.leave() && AsyncProfilerEngine.this.threadFilter) {
				AsyncProfilerEngine.this.profiler.removeThread(Thread.currentThread());
			}
		}

	}

}
