package io.ddprof.context;

/**
 * The engine side of span context: writes span intervals into the recording on the
 * samples' own clock, and keeps the set of threads eligible for wall-clock sampling.
 * Called on application threads: implementations must be cheap, allocation-free where
 * possible, and must never throw.
 */
public interface SpanSink {

	/** A sink that records nothing (engine stopped or unavailable). */
	SpanSink NONE = new SpanSink() {
	};

	/** A timestamp on the recording's clock marking the start of an interval. */
	default long begin() {
		return 0;
	}

	/**
	 * Records the interval from {@code startTicks} (from {@link #begin()}) until now,
	 * with its tag. An engine may leave out an interval in which no sample was taken on
	 * the thread: joining samples to spans never needs it.
	 */
	default void end(long startTicks, String tag) {
	}

	/**
	 * Records an instantaneous marker with the given tag (used for endpoint names); never
	 * left out.
	 */
	default void mark(String tag) {
		end(begin(), tag);
	}

	/**
	 * The current thread ended a server request whose local root span has this endpoint
	 * (such as {@code GET /orders/{id}}), served as {@code operation} (such as
	 * {@code servlet.request}).
	 */
	default void endpoint(long localRootSpanId, String operation, String endpoint) {
		mark(SpanTag.endpoint(localRootSpanId, operation, endpoint));
	}

	/** The current thread now holds a span: make it eligible for wall-clock sampling. */
	default void threadEntered() {
	}

	/** The current thread no longer holds a span. */
	default void threadLeft() {
	}

}
