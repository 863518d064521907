package io.ddprof.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import io.ddprof.context.JfrSpanEvent;
import io.ddprof.context.SpanSink;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

/**
 * The JDK Flight Recorder engine, used when {@code ddprof.engine=jfr} or when async-profiler
 * cannot load. Records a hand-picked set of events with explicit thresholds (never the stock
 * {@code profile} settings, which cost far more): execution samples (CPU), native method samples
 * and sleeps and waits of 10 ms or more (with execution samples, the wall-clock view), throttled
 * allocation samples, old object
 * samples (live heap), monitor enter and park (locks), and {@link JfrSpanEvent}. A new window's
 * recording starts before the old one stops, so nothing goes unrecorded at the seam; events of
 * the few milliseconds of overlap may appear in both windows.
 */
public final class JfrEngine implements Engine {

	/** Shortest sleep or wait recorded in the wall-clock view. */
	static final Duration OFF_CPU_THRESHOLD = Duration.ofMillis(10);

	private final SpanSink spanSink = new JfrSpanSink();

	private Recording current;

	private Path workDirectory;

	private int recordings;

	private volatile RecordingOptions options;

	@Override
	public String name() {
		return "jfr";
	}

	@Override
	public synchronized void start(Path workDirectory, RecordingOptions options) throws EngineException {
		this.workDirectory = workDirectory;
		this.current = begin(nextFile(), options);
		this.options = options;
	}

	@Override
	public RecordingOptions options() {
		return this.options;
	}

	@Override
	public synchronized long cut(Path window, RecordingOptions next) throws EngineException {
		Recording previous = this.current;
		if (previous == null) {
			throw new EngineException("the JDK Flight Recorder is not recording");
		}
		try {
			this.current = begin(nextFile(), next);
			this.options = next;
		}
		finally {
			finish(previous, window);
		}
		return 0;
	}

	@Override
	public synchronized void stop(Path window) {
		if (this.current != null) {
			finish(this.current, window);
			this.current = null;
		}
	}

	private Path nextFile() {
		this.recordings++;
		return this.workDirectory.resolve("jfr-" + this.recordings + ".jfr");
	}

	private static void finish(Recording recording, Path window) {
		Path file = recording.getDestination();
		try {
			recording.stop();
		}
		catch (IllegalStateException ex) {
			// Already stopped (for example by a JVM shutdown): the file is as complete as it gets.
		}
		recording.close();
		try {
			if (window != null && file != null && Files.exists(file)) {
				Files.move(file, window);
			}
			else if (file != null) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			// The window is lost; the rotator reports a missing file.
		}
	}

	@Override
	public SpanSink spanSink() {
		return this.spanSink;
	}

	private static Recording begin(Path file, RecordingOptions options) throws EngineException {
		try {
			if (!FlightRecorder.isAvailable()) {
				throw new EngineException("the JDK Flight Recorder is not available in this JVM");
			}
			Recording recording = new Recording(settings(options));
			recording.setName("ddprof");
			recording.setToDisk(true);
			recording.setDestination(file);
			recording.start();
			return recording;
		}
		catch (IOException | IllegalStateException | SecurityException ex) {
			throw new EngineException("the JDK Flight Recorder could not start (" + ex.getMessage() + ")", ex);
		}
	}

	/** The JFR settings for one window; visible for tests. */
	static Map<String, String> settings(RecordingOptions options) {
		Map<String, String> settings = new LinkedHashMap<>();
		if (options.cpuInterval() != null || options.wallInterval() != null) {
			Duration period = (options.cpuInterval() != null) ? options.cpuInterval() : options.wallInterval();
			enable(settings, "jdk.ExecutionSample", "period", millis(period));
		}
		if (options.wallInterval() != null) {
			// JFR has no wall-clock sampler: threads in native code are sampled, and threads that
			// sleep or wait are recorded with the time they spent (a sleeping thread is neither
			// running Java nor in native code, so no sampler sees it).
			enable(settings, "jdk.NativeMethodSample", "period", millis(options.wallInterval()));
			enable(settings, "jdk.ThreadSleep", "threshold", millis(OFF_CPU_THRESHOLD));
			enable(settings, "jdk.JavaMonitorWait", "threshold", millis(OFF_CPU_THRESHOLD));
			settings.put("jdk.ThreadSleep#stackTrace", "true");
			settings.put("jdk.JavaMonitorWait#stackTrace", "true");
		}
		if (options.allocInterval() != null) {
			// JFR samples allocations by rate, which is what the adaptive interval approximates
			// for async-profiler.
			enable(settings, "jdk.ObjectAllocationSample", "throttle", options.allocSamplesPerSecond() + "/s");
			if (options.live()) {
				enable(settings, "jdk.OldObjectSample", "cutoff", "0 ns");
				settings.put("jdk.OldObjectSample#stackTrace", "true");
			}
		}
		if (options.lockThreshold() != null) {
			String threshold = millis(options.lockThreshold());
			enable(settings, "jdk.JavaMonitorEnter", "threshold", threshold);
			enable(settings, "jdk.ThreadPark", "threshold", threshold);
			settings.put("jdk.JavaMonitorEnter#stackTrace", "true");
			settings.put("jdk.ThreadPark#stackTrace", "true");
		}
		// The readers take the sampling periods from the recording's own settings.
		settings.put("jdk.ActiveSetting#enabled", "true");
		settings.put(JfrSpanEvent.NAME + "#enabled", "true");
		settings.put(JfrSpanEvent.NAME + "#threshold", "0 ns");
		return settings;
	}

	private static void enable(Map<String, String> settings, String event, String option, String value) {
		settings.put(event + "#enabled", "true");
		settings.put(event + "#" + option, value);
	}

	private static String millis(Duration duration) {
		return Math.max(1, duration.toMillis()) + " ms";
	}

	/** Span intervals as {@link JfrSpanEvent}s, kept on a per-thread stack between begin and end. */
	private static final class JfrSpanSink implements SpanSink {

		private static final ThreadLocal<Deque<JfrSpanEvent>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

		@Override
		public long begin() {
			JfrSpanEvent event = new JfrSpanEvent();
			event.begin();
			Deque<JfrSpanEvent> open = OPEN.get();
			open.push(event);
			return open.size();
		}

		@Override
		public void end(long startTicks, String tag) {
			Deque<JfrSpanEvent> open = OPEN.get();
			if (startTicks <= 0 || startTicks > open.size()) {
				return;
			}
			// Scopes close in order; a scope the application leaked is dropped here so that the
			// stack cannot grow without bound.
			while (open.size() > startTicks) {
				open.pop();
			}
			JfrSpanEvent event = open.pop();
			event.tag(tag);
			event.commit();
		}

		@Override
		public void mark(String tag) {
			JfrSpanEvent event = new JfrSpanEvent();
			event.tag(tag);
			event.commit();
		}

	}

}
