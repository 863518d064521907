package io.ddprof.export;

import io.ddprof.window.RecordedWindow;

/**
 * Receives each finished window, always on the profiler's single export thread
 * ({@link ExportDispatcher}): the {@link Exporter}s, which take windows out of the
 * process, and the profiler's own consumers, which keep or read them
 * ({@link ProfileHistory}, {@link WindowSummarizer}). A consumer may throw: the failure
 * is recorded against it and the other consumers still run. It must not keep
 * {@link RecordedWindow#jfr()} past the call; it links or copies what it keeps.
 */
public interface WindowConsumer extends AutoCloseable {

	/**
	 * A short name for logs and status, such as {@code datadog}, {@code local} or
	 * {@code history}.
	 */
	String name();

	/** Handles one window. */
	void accept(RecordedWindow window) throws Exception;

	/**
	 * Releases what the consumer holds, waiting at most until {@code deadlineNanos}
	 * ({@link System#nanoTime()}).
	 */
	default void close(long deadlineNanos) {
	}

	@Override
	default void close() {
		close(System.nanoTime());
	}

}
