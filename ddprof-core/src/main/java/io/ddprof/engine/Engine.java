package io.ddprof.engine;

import java.nio.file.Path;

import io.ddprof.context.SpanSink;

/**
 * A sampling engine that records into a JFR file and can switch to a new file with a short
 * seam. Implementations are thin wrappers over async-profiler or the JDK Flight Recorder.
 * Calls come from the profiler's recorder thread, one at a time.
 */
public interface Engine {

	/** The engine's name in status and profiles: {@code async-profiler} or {@code jfr}. */
	String name();

	/**
	 * Starts recording into {@code file}.
	 * @throws EngineException when the engine cannot record
	 */
	void start(Path file, RecordingOptions options) throws EngineException;

	/**
	 * Closes the current file so that it is complete and readable, and starts recording into
	 * {@code next}. Returns the nanoseconds during which nothing was recorded.
	 * @throws EngineException when the new recording cannot start (the old file is complete)
	 */
	long rotate(Path next, RecordingOptions options) throws EngineException;

	/** Stops recording; the current file is complete when this returns. Does nothing when stopped. */
	void stop();

	/** Where the tracing bridge writes span intervals and wall-clock thread membership. */
	SpanSink spanSink();

	/** What the engine learned about itself from its first window, such as the CPU sampling mechanism. */
	default String detail() {
		return "";
	}

	/** Reads what the engine wrote about itself into its first complete window (called once). */
	default void inspect(Path completedFile) {
	}

}
