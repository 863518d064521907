package io.ddprof.engine;

import java.nio.file.Path;

import io.ddprof.context.SpanSink;
import org.jspecify.annotations.Nullable;

/**
 * A sampling engine recording continuously into JFR, cut into windows on request.
 * Implementations are thin wrappers over async-profiler or the JDK Flight Recorder. Calls
 * come from the profiler's recorder thread, one at a time.
 */
public interface Engine {

	/**
	 * The engine's name in status and profiles: {@code async-profiler} or {@code jfr}.
	 */
	String name();

	/**
	 * Starts recording; the engine keeps the files it writes in {@code workDirectory}.
	 * @throws EngineException when the engine cannot record
	 */
	void start(Path workDirectory, RecordingOptions options) throws EngineException;

	/**
	 * Writes everything recorded since the start or the last cut into {@code window}, a
	 * new, complete JFR file, and goes on recording with {@code next} (which the engine
	 * may apply later, when it next restarts its recording). Returns the nanoseconds
	 * during which nothing was recorded.
	 * @throws EngineException when recording cannot go on; {@code window} is complete all
	 * the same when it exists
	 */
	long cut(Path window, RecordingOptions next) throws EngineException;

	/**
	 * Applies {@code next} within the window: the recording restarts with it, and the
	 * window cut next holds what was recorded before and after. Engines that need no
	 * restart to follow the allocation rate (the JDK's throttles by itself) do not
	 * {@linkplain #canAdjust adjust}.
	 * @return the nanoseconds during which nothing was recorded
	 * @throws EngineException when recording cannot go on; what was recorded before is
	 * kept for the next cut
	 */
	default long adjust(RecordingOptions next) throws EngineException {
		throw new UnsupportedOperationException(name() + " does not adjust a recording in progress");
	}

	/** Whether {@link #adjust} applies new options within a window. */
	default boolean canAdjust() {
		return false;
	}

	/**
	 * Copies what was recorded since the start or the last cut into {@code copy}, a new,
	 * complete JFR file, without cutting: the next window still holds all of it, and
	 * nothing unrecorded comes of it. Returns {@code false} (and writes nothing) when the
	 * engine cannot copy, or has nothing complete to copy yet.
	 * @throws java.io.IOException when the copy cannot be written; nothing half written
	 * is left
	 */
	default boolean copyCurrent(Path copy) throws java.io.IOException {
		return false;
	}

	/**
	 * Stops recording. With a {@code window}, what was recorded since the last cut is
	 * written into it; with {@code null} it is discarded. Does nothing when stopped.
	 */
	void stop(@Nullable Path window);

	/**
	 * What the recording in progress records (the options of the last start or restart),
	 * or {@code null}.
	 */
	@Nullable RecordingOptions options();

	/**
	 * Where the tracing bridge writes span intervals and wall-clock thread membership.
	 */
	SpanSink spanSink();

	/**
	 * What the engine learned about itself from its first window, such as the CPU
	 * sampling mechanism.
	 */
	default String detail() {
		return "";
	}

	/**
	 * Reads what the engine wrote about itself into its first complete window (called
	 * once).
	 */
	default void inspect(Path completedFile) {
	}

}
