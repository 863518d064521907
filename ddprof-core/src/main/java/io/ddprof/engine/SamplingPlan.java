package io.ddprof.engine;

import java.time.Duration;
import java.util.random.RandomGenerator;

import io.ddprof.config.ProfilerSettings;

/**
 * Chooses what each window records. Two decisions live here because the cost budget needs them
 * (DESIGN.md, Cost):
 * <ul>
 * <li>Intervals vary by up to 5% from window to window and are rarely round numbers, so that
 * sampling does not march in step with periodic work (at exactly 10 ms, a 7 ms + 3 ms loop read
 * anywhere from 49% to 80% for its first half).</li>
 * <li>Without a fixed {@code ddprof.alloc.interval}, the allocation interval is re-chosen from
 * the allocation rate of the window just ended, to keep about {@code samples-per-second}
 * allocation samples per second whatever the application allocates.</li>
 * </ul>
 */
public final class SamplingPlan {

	/** Interval of the first window, before any allocation rate is known. */
	static final long INITIAL_ALLOC_INTERVAL = 4L << 20;

	static final long MIN_ALLOC_INTERVAL = 256L << 10;

	static final long MAX_ALLOC_INTERVAL = 1L << 30;

	private static final double JITTER = 0.05;

	private final ProfilerSettings settings;

	private final RandomGenerator random;

	private final AllocationRate allocationRate;

	private long allocInterval = INITIAL_ALLOC_INTERVAL;

	private long lastPlanNanos;

	/** A plan for the given settings. */
	public SamplingPlan(ProfilerSettings settings, RandomGenerator random) {
		this.settings = settings;
		this.random = random;
		this.allocationRate = new AllocationRate();
	}

	/**
	 * The options of the next window. Called at each window's start, on the recorder thread.
	 * @param wallThreadFilter whether a tracer is wired in, so that wall-clock sampling can be
	 * limited to threads holding a span
	 */
	public RecordingOptions next(boolean wallThreadFilter) {
		ProfilerSettings s = this.settings;
		boolean alloc = s.alloc().enabled() || s.liveHeapEnabled();
		return new RecordingOptions(s.cpu().enabled() ? jitter(s.cpu().interval()) : null,
				s.wall().enabled() ? jitter(s.wall().interval()) : null,
				wallThreadFilter && s.wall().contextFilter(), s.wall().threadsPerTick(),
				alloc ? nextAllocInterval() : null, s.alloc().samplesPerSecond(), s.liveHeapEnabled(),
				s.lock().enabled() ? s.lock().threshold() : null, s.stackDepth());
	}

	/** The allocation interval the last call to {@link #next} chose, in bytes. */
	public long allocInterval() {
		return this.allocInterval;
	}

	private Duration jitter(Duration interval) {
		double factor = 1.0 + (this.random.nextDouble() * 2.0 - 1.0) * JITTER;
		long micros = Math.max(1, Math.round(interval.toNanos() * factor / 1000.0));
		return Duration.ofNanos(micros * 1000);
	}

	private long nextAllocInterval() {
		Long fixed = this.settings.alloc().interval();
		if (fixed != null) {
			this.allocInterval = fixed;
			return fixed;
		}
		long now = System.nanoTime();
		long allocated = this.allocationRate.allocatedSinceLastCall();
		if (this.lastPlanNanos != 0 && this.allocationRate.supported()) {
			double seconds = Math.max(1e-3, (now - this.lastPlanNanos) / 1e9);
			double bytesPerSecond = allocated / seconds;
			long interval = (long) (bytesPerSecond / this.settings.alloc().samplesPerSecond());
			this.allocInterval = Math.min(MAX_ALLOC_INTERVAL, Math.max(MIN_ALLOC_INTERVAL, interval));
		}
		this.lastPlanNanos = now;
		return this.allocInterval;
	}

}
