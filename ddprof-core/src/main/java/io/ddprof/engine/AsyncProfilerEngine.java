package io.ddprof.engine;

import java.nio.file.Path;

import io.ddprof.context.SpanSink;
import one.profiler.AsyncProfiler;
import one.profiler.Span;

/**
 * The default engine: one async-profiler session recording every enabled event into JFR.
 * A window ends with {@code stop} (which completes the file) followed at once by {@code start}
 * into the next file; the time between the two is the seam. The command string is built from
 * validated numbers and the profiler's own file names only, never from user input.
 */
public final class AsyncProfilerEngine implements Engine {

	/** The class whose presence tells that async-profiler's Java API is on the class path. */
	public static final String API_CLASS = "one.profiler.AsyncProfiler";

	private final AsyncProfiler profiler;

	private final SpanSink spanSink = new AsyncProfilerSpanSink();

	private volatile boolean running;

	private volatile boolean threadFilter;

	private AsyncProfilerEngine(AsyncProfiler profiler) {
		this.profiler = profiler;
	}

	/**
	 * Loads the native library from async-profiler's jar.
	 * @throws EngineException when it cannot load (unsupported platform, failed {@code dlopen})
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
	public synchronized void start(Path file, RecordingOptions options) throws EngineException {
		execute(command(file, options), "start");
		this.threadFilter = options.wallThreadFilter() && options.wallInterval() != null;
		this.running = true;
	}

	@Override
	public synchronized long rotate(Path next, RecordingOptions options) throws EngineException {
		long before = System.nanoTime();
		stopQuietly();
		execute(command(next, options), "restart");
		long seam = System.nanoTime() - before;
		this.threadFilter = options.wallThreadFilter() && options.wallInterval() != null;
		this.running = true;
		return seam;
	}

	@Override
	public synchronized void stop() {
		stopQuietly();
	}

	@Override
	public SpanSink spanSink() {
		return this.spanSink;
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
		return command.toString();
	}

	/** Span intervals through {@code one.profiler.Span}; wall-clock membership through the thread filter. */
	private final class AsyncProfilerSpanSink implements SpanSink {

		@Override
		public long begin() {
			return Span.start();
		}

		@Override
		public void end(long startTicks, String tag) {
			Span.end(startTicks, tag);
		}

		@Override
		public void threadEntered() {
			if (AsyncProfilerEngine.this.threadFilter) {
				AsyncProfilerEngine.this.profiler.addThread(Thread.currentThread());
			}
		}

		@Override
		public void threadLeft() {
			if (AsyncProfilerEngine.this.threadFilter) {
				AsyncProfilerEngine.this.profiler.removeThread(Thread.currentThread());
			}
		}

	}

}
