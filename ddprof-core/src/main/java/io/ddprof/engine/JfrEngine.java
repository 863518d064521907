package io.ddprof.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddprof.context.JfrSpanEvent;
import io.ddprof.context.SpanSink;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import org.jspecify.annotations.Nullable;

/**
 * The JDK Flight Recorder engine, used when {@code ddprof.engine=jfr} or when
 * async-profiler cannot load. Records a hand-picked set of events with explicit
 * thresholds (never the stock {@code profile} settings, which cost far more): execution
 * samples (CPU), native method samples and sleeps and waits of 10 ms or more (with
 * execution samples, the wall-clock view), throttled allocation samples, old object
 * samples (live heap), monitor enter and park (locks), and {@link JfrSpanEvent}.
 * <p>
 * One recording runs from start to stop. A window is cut with a snapshot
 * ({@link FlightRecorder#takeSnapshot()}), which ends the current chunk and begins the
 * next without a pause: the chunks that ended since the last cut make the window, so the
 * seam loses nothing and repeats nothing. Starting a recording per window would be
 * simpler, but on JDK 17 a recording started just after the JVM's own shutdown hook has
 * torn the recorder down waits forever, and with it the JVM's exit; a snapshot checks
 * under the recorder's lock that something is still recording.
 */
public final class JfrEngine implements Engine {

	/** Shortest sleep or wait recorded in the wall-clock view. */
	static final Duration OFF_CPU_THRESHOLD = Duration.ofMillis(10);

	/**
	 * The least time the recording keeps its chunks on disk; more when windows are
	 * longer.
	 */
	static final Duration MIN_RETENTION = Duration.ofMinutes(1);

	private final SpanSink spanSink = new JfrSpanSink();

	private @Nullable Recording recording;

	/**
	 * Where the recording's chunks are written when it stops, by this engine or by the
	 * JVM's exit.
	 */
	private @Nullable Path atStop;

	/**
	 * When the last window handed out ended: the next one is made of the chunks that
	 * began since.
	 */
	private @Nullable Instant boundary;

	private volatile @Nullable RecordingOptions options;

	@Override
	public String name() {
		return "jfr";
	}

	@Override
	public synchronized void start(Path workDirectory, RecordingOptions options) throws EngineException {
		if (this.recording != null) {
			throw new EngineException("the JDK Flight Recorder is recording already");
		}
		try {
			if (!FlightRecorder.isAvailable()) {
				throw new EngineException("the JDK Flight Recorder is not available in this JVM");
			}
			Recording recording = new Recording(settings(options));
			recording.setName("ddprof");
			recording.setToDisk(true);
			// Should the JVM's shutdown stop the recording first, what it recorded still
			// lands here.
			Path atStop = workDirectory.resolve("jfr-at-stop.jfr");
			recording.setDestination(atStop);
			recording.start();
			this.recording = recording;
			this.atStop = atStop;
			this.boundary = recording.getStartTime();
			this.options = options;
		}
		catch (IOException | IllegalStateException | SecurityException ex) {
			throw new EngineException("the JDK Flight Recorder could not start (" + ex.getMessage() + ")", ex);
		}
	}

	@Override
	public @Nullable RecordingOptions options() {
		return this.options;
	}

	@Override
	public synchronized long cut(Path window, RecordingOptions next) throws EngineException {
		Recording recording = this.recording;
		if (recording == null) {
			throw new EngineException("the JDK Flight Recorder is not recording");
		}
		try {
			if (!next.equals(this.options)) {
				// Applied to the running recording: no restart, so no seam.
				recording.setSettings(settings(next));
				this.options = next;
			}
			if (recording.getState() != RecordingState.RUNNING) {
				throw new EngineException("the JDK Flight Recorder was stopped (the JVM is shutting down)");
			}
			Instant end = copyChunksSinceBoundary(window);
			if (end == null) {
				throw new IOException("the JDK Flight Recorder wrote no chunk since " + this.boundary);
			}
			retainChunksFor(Duration.between(this.boundary, end));
			this.boundary = end;
			return 0;
		}
		catch (IOException ex) {
			throw new EngineException("the JDK Flight Recorder's chunks could not be copied (" + ex.getMessage() + ")",
					ex);
		}
		catch (IllegalStateException ex) {
			// The JVM's shutdown stopped or closed the recording between two of these
			// calls.
			throw new EngineException("the JDK Flight Recorder was stopped (" + ex.getMessage() + ")", ex);
		}
	}

	/** A snapshot's chunks since the boundary, which stays where it is. */
	@Override
	public synchronized boolean copyCurrent(Path copy) throws IOException {
		if (this.recording == null || this.recording.getState() != RecordingState.RUNNING) {
			return false;
		}
		try {
			return copyChunksSinceBoundary(copy) != null;
		}
		catch (IllegalStateException ex) {
			// The JVM's shutdown stopped the recording.
			return false;
		}
	}

	@Override
	public synchronized void stop(@Nullable Path window) {
		Recording recording = this.recording;
		if (recording == null) {
			return;
		}
		this.recording = null;
		boolean stoppedHere;
		try {
			// The last window is taken from the recorder's chunks below; writing every
			// chunk
			// the recording holds to its destination as well would only cost time.
			recording.setDestination(null);
			recording.stop();
			stoppedHere = true;
		}
		catch (IOException | IllegalStateException ex) {
			// The JVM's shutdown stopped it first and wrote its chunks to the
			// destination.
			stoppedHere = false;
		}
		try {
			if (stoppedHere) {
				if (window != null) {
					copyChunksSinceBoundary(window);
				}
			}
			else {
				// Closing takes the recorder's lock, so a shutdown still writing the
				// destination has finished.
				recording.close();
				if (window != null && Files.exists(this.atStop)) {
					JfrChunks.copyStartingAt(this.atStop, epochNanos(this.boundary), window);
				}
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The window is lost; the rotator finds no file and reports it.
		}
		finally {
			// Idempotent; releases the chunks the recording held.
			recording.close();
			try {
				Files.deleteIfExists(this.atStop);
			}
			catch (IOException ex) {
				// The working directory is removed when the profiler stops.
			}
		}
	}

	/**
	 * Copies the chunks that ended since the last boundary into {@code window} and
	 * returns when the newest of them ended, or {@code null} (writing nothing) when there
	 * is none; with the recording running, a snapshot ends its current chunk first.
	 */
	private @Nullable Instant copyChunksSinceBoundary(Path window) throws IOException {
		Recording snapshot = FlightRecorder.getFlightRecorder().takeSnapshot();
		try (InputStream chunks = snapshot.getStream(this.boundary.plusNanos(1), null)) {
			if (chunks == null) {
				return null;
			}
			Files.copy(chunks, window);
			return snapshot.getStopTime();
		}
		catch (FileAlreadyExistsException ex) {
			// Not ours to delete.
			throw ex;
		}
		catch (IOException ex) {
			// Half a window (a full disk) must not be taken for a whole one by the
			// rotator.
			Files.deleteIfExists(window);
			throw ex;
		}
		finally {
			snapshot.close();
		}
	}

	/**
	 * Keeps chunks on disk for twice the last window (at least {@link #MIN_RETENTION}),
	 * so that the next snapshot finds every chunk of its window however long windows are.
	 */
	private void retainChunksFor(Duration window) {
		Duration retention = window.multipliedBy(2);
		this.recording.setMaxAge((retention.compareTo(MIN_RETENTION) < 0) ? MIN_RETENTION : retention);
	}

	private static long epochNanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

	@Override
	public SpanSink spanSink() {
		return this.spanSink;
	}

	/**
	 * JDK events whose fields can hold a secret (a password in a -D, an argument, a
	 * variable).
	 */
	static final List<String> SECRET_BEARING_EVENTS = List.of("jdk.InitialSystemProperty", "jdk.JVMInformation",
			"jdk.InitialEnvironmentVariable", "jdk.SystemProcess", "jdk.ProcessStart", "jdk.InitialSecurityProperty");

	/** The JFR settings for one window; visible for tests. */
	static Map<String, String> settings(RecordingOptions options) {
		Map<String, String> settings = new LinkedHashMap<>();
		if (options.cpuInterval() != null || options.wallInterval() != null) {
			Duration period = (options.cpuInterval() != null) ? options.cpuInterval() : options.wallInterval();
			enable(settings, "jdk.ExecutionSample", "period", millis(period));
		}
		if (options.wallInterval() != null) {
			// JFR has no wall-clock sampler: threads in native code are sampled, and
			// threads that
			// sleep or wait are recorded with the time they spent (a sleeping thread is
			// neither
			// running Java nor in native code, so no sampler sees it).
			enable(settings, "jdk.NativeMethodSample", "period", millis(options.wallInterval()));
			enable(settings, "jdk.ThreadSleep", "threshold", millis(OFF_CPU_THRESHOLD));
			enable(settings, "jdk.JavaMonitorWait", "threshold", millis(OFF_CPU_THRESHOLD));
			settings.put("jdk.ThreadSleep#stackTrace", "true");
			settings.put("jdk.JavaMonitorWait#stackTrace", "true");
		}
		if (options.allocInterval() != null) {
			// JFR samples allocations by rate, which is what the adaptive interval
			// approximates
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
		// Off by default in a recording made from a map, and said here so that it stays
		// so: these
		// carry every -D, the JVM's and the program's arguments, the environment, other
		// processes'
		// command lines, and would leave the process in every window.
		for (String secretBearing : SECRET_BEARING_EVENTS) {
			settings.put(secretBearing + "#enabled", "false");
		}
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

	/**
	 * Span intervals as {@link JfrSpanEvent}s, kept on a per-thread stack between begin
	 * and end.
	 */
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
			// Scopes close in order; a scope the application leaked is dropped here so
			// that the
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
