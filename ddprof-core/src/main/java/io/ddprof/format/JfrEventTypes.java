package io.ddprof.format;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.ddprof.profile.EventType;

/**
 * Which profile type each JFR event counts for. The one place that knows the event names
 * of both engines: async-profiler writes {@code jdk.ExecutionSample} for CPU only and has
 * its own wall-clock event, while the JDK Flight Recorder fallback has no wall-clock
 * event, so its {@code jdk.ExecutionSample} (threads running Java code) counts for CPU
 * and wall alike and {@code jdk.NativeMethodSample} (threads in native code, such as
 * blocked in I/O) for wall only, as do sleeps and waits ({@code jdk.ThreadSleep},
 * {@code jdk.JavaMonitorWait}) by their duration.
 */
final class JfrEventTypes {

	/** The span interval event that async-profiler's {@code one.profiler.Span} writes. */
	static final String ASYNC_PROFILER_SPAN = "profiler.Span";

	/**
	 * The span interval event that the JFR engine writes
	 * ({@code io.ddprof.context.JfrSpanEvent}).
	 */
	static final String JFR_SPAN = "ddprof.Span";

	static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";

	static final String NATIVE_METHOD_SAMPLE = "jdk.NativeMethodSample";

	static final String WALL_CLOCK_SAMPLE = "profiler.WallClockSample";

	static final String ALLOCATION_IN_NEW_TLAB = "jdk.ObjectAllocationInNewTLAB";

	static final String LIVE_OBJECT = "profiler.LiveObject";

	static final String MONITOR_ENTER = "jdk.JavaMonitorEnter";

	static final String OLD_OBJECT_SAMPLE = "jdk.OldObjectSample";

	/**
	 * A sleep the JFR engine records above its threshold: wall time off the CPU, weighted
	 * by duration.
	 */
	static final String THREAD_SLEEP = "jdk.ThreadSleep";

	/**
	 * An {@code Object.wait} the JFR engine records above its threshold, weighted by
	 * duration.
	 */
	static final String MONITOR_WAIT = "jdk.JavaMonitorWait";

	private static final Map<String, Set<EventType>> ASYNC_PROFILER = Map.of(EXECUTION_SAMPLE,
			EnumSet.of(EventType.CPU), WALL_CLOCK_SAMPLE, EnumSet.of(EventType.WALL), ALLOCATION_IN_NEW_TLAB,
			EnumSet.of(EventType.ALLOC), "jdk.ObjectAllocationOutsideTLAB", EnumSet.of(EventType.ALLOC),
			"jdk.ObjectAllocationSample", EnumSet.of(EventType.ALLOC), LIVE_OBJECT, EnumSet.of(EventType.LIVE),
			MONITOR_ENTER, EnumSet.of(EventType.LOCK), "jdk.ThreadPark", EnumSet.of(EventType.LOCK));

	private static final Map<String, Set<EventType>> JDK = Map.of(EXECUTION_SAMPLE,
			EnumSet.of(EventType.CPU, EventType.WALL), NATIVE_METHOD_SAMPLE, EnumSet.of(EventType.WALL), THREAD_SLEEP,
			EnumSet.of(EventType.WALL), MONITOR_WAIT, EnumSet.of(EventType.WALL), "jdk.ObjectAllocationSample",
			EnumSet.of(EventType.ALLOC), OLD_OBJECT_SAMPLE, EnumSet.of(EventType.LIVE), MONITOR_ENTER,
			EnumSet.of(EventType.LOCK), "jdk.ThreadPark", EnumSet.of(EventType.LOCK));

	private JfrEventTypes() {
	}

	/**
	 * The profile types an event counts for in a file written by {@code source}; empty
	 * when none.
	 */
	static Set<EventType> of(String eventName, Source source) {
		Set<EventType> types = ((source == Source.ASYNC_PROFILER) ? ASYNC_PROFILER : JDK).get(eventName);
		return (types != null) ? types : Set.of();
	}

	/** Whether the event is a span interval or endpoint record. */
	static boolean isSpan(String eventName) {
		return ASYNC_PROFILER_SPAN.equals(eventName) || JFR_SPAN.equals(eventName);
	}

	/**
	 * The engine that wrote a file, told by its event types: only async-profiler declares
	 * {@code profiler.*}.
	 */
	enum Source {

		/** async-profiler's JFR writer. */
		ASYNC_PROFILER,

		/** The JDK Flight Recorder. */
		JDK;

		/** The source of a file declaring the given event type names. */
		static Source of(Iterable<String> eventTypeNames) {
			for (String name : eventTypeNames) {
				if (name.startsWith("profiler.")) {
					return ASYNC_PROFILER;
				}
			}
			return JDK;
		}

	}

}
