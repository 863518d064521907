package io.ddprof.engine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import io.ddprof.config.ProfilerSettings;

/**
 * Chooses what each window records. Two decisions live here because the cost budget needs them
 * (DESIGN.md, Cost):
 * <ul>
 * <li>Intervals vary by up to 5% from window to window and are rarely round numbers, so that
 * sampling does not march in step with periodic work (at exactly 10 ms, a 7 ms + 3 ms loop read
 * anywhere from 49% to 80% for its first half).</li>
 * <li>Without a fixed {@code ddprof.alloc.interval}, the allocation interval is re-chosen at each
 * window to keep about {@code samples-per-second} allocation samples per second whatever the
 * application allocates: from the allocation rate averaged over about the last
 * {@value #RATE_TIME_CONSTANT_SECONDS} seconds (so that one burst on a short window does not swing
 * it), times how many samples async-profiler took per interval of bytes in the last window it
 * {@linkplain #observe observed}. That ratio is not 1: the JVM's heap sampler (JVMTI
 * {@code SampledObjectAlloc}, which async-profiler's {@code alloc} uses) before JDK 25 counts the
 * free rest of a TLAB again for every allocation made outside it (JDK-8356372), and at intervals
 * of 16 MB to 1 GB takes 1.0 to 1.9 times the samples asked for when objects of tens to hundreds
 * of KB are allocated, depending on heap and TLAB sizes; allocation by threads that ended before
 * the rate was read is not in the rate but is sampled.</li>
 * </ul>
 */
public final class SamplingPlan {

	/** Interval of the first window, before any allocation rate is known. */
	static final long INITIAL_ALLOC_INTERVAL = 4L << 20;

	static final long MIN_ALLOC_INTERVAL = 256L << 10;

	static final long MAX_ALLOC_INTERVAL = 1L << 30;

	/** Time constant of the allocation rate's exponential average. */
	static final double RATE_TIME_CONSTANT_SECONDS = 30;

	/**
	 * Fewest allocation samples a window must have been expected to take for its ratio of taken
	 * to expected samples to count: below, Poisson noise alone moves the ratio by more than 15%.
	 */
	static final double MIN_EXPECTED_SAMPLES = 50;

	/** Bounds of the samples-taken-per-expected-sample ratio applied, so one odd window cannot run away. */
	static final double MIN_CORRECTION = 0.5;

	static final double MAX_CORRECTION = 4;

	/** Windows whose allocation is remembered until their sample count is observed. */
	private static final int MAX_PENDING_WINDOWS = 8;

	private static final double JITTER = 0.05;

	private final ProfilerSettings settings;

	private final RandomGenerator random;

	private final LongSupplier allocatedSinceLastCall;

	private final LongSupplier nanoTime;

	/** Bytes allocated by each recent window, by window number, until its samples are observed. */
	private final Map<Long, Long> allocatedByWindow = new LinkedHashMap<>();

	private long allocInterval = INITIAL_ALLOC_INTERVAL;

	private long window;

	private long lastPlanNanos;

	private boolean measuring;

	/** Exponentially decayed sums of the bytes allocated and of the seconds they took. */
	private double decayedBytes;

	private double decayedSeconds;

	private double correction = 1.0;

	/** A plan for the given settings. */
	public SamplingPlan(ProfilerSettings settings, RandomGenerator random) {
		this(settings, random, new AllocationRate());
	}

	private SamplingPlan(ProfilerSettings settings, RandomGenerator random, AllocationRate allocationRate) {
		this(settings, random, allocationRate.supported() ? allocationRate::allocatedSinceLastCall : null,
				System::nanoTime);
	}

	/**
	 * A plan measuring allocation with {@code allocatedSinceLastCall} ({@code null} when the JVM
	 * cannot), on the clock {@code nanoTime}.
	 */
	SamplingPlan(ProfilerSettings settings, RandomGenerator random, LongSupplier allocatedSinceLastCall,
			LongSupplier nanoTime) {
		this.settings = settings;
		this.random = random;
		this.allocatedSinceLastCall = allocatedSinceLastCall;
		this.nanoTime = nanoTime;
	}

	/**
	 * The options of the next window. Called at each window's start, on the recorder thread.
	 * @param window the number of the window about to start; the allocation measured since the
	 * previous call is that of the window the previous call started
	 * @param wallThreadFilter whether a tracer is wired in, so that wall-clock sampling can be
	 * limited to threads holding a span
	 */
	public synchronized RecordingOptions next(long window, boolean wallThreadFilter) {
		ProfilerSettings s = this.settings;
		boolean alloc = s.alloc().enabled() || s.liveHeapEnabled();
		RecordingOptions options = new RecordingOptions(s.cpu().enabled() ? jitter(s.cpu().interval()) : null,
				s.wall().enabled() ? jitter(s.wall().interval()) : null,
				wallThreadFilter && s.wall().contextFilter(), s.wall().threadsPerTick(),
				alloc ? nextAllocInterval() : null, s.alloc().samplesPerSecond(), s.liveHeapEnabled(),
				s.lock().enabled() ? s.lock().threshold() : null, s.stackDepth());
		this.window = window;
		return options;
	}

	/**
	 * Tells how many allocation samples a finished window took, so that the next intervals aim at
	 * what the sampler really does rather than at one sample per interval. Called on the export
	 * thread, for windows recorded by async-profiler only (the JFR engine throttles by itself).
	 * @param window the window's number
	 * @param allocInterval the allocation interval the window was recorded with, in bytes
	 * @param allocSamples the allocation samples it holds
	 */
	public synchronized void observe(long window, long allocInterval, long allocSamples) {
		Long allocated = this.allocatedByWindow.remove(window);
		if (allocated == null || allocInterval <= 0 || this.settings.alloc().interval() != null) {
			return;
		}
		double expected = (double) allocated / allocInterval;
		if (expected >= MIN_EXPECTED_SAMPLES) {
			// The last window alone: the ratio depends on the interval, which the correction itself
			// moves, so older windows measured it for another interval.
			this.correction = Math.min(MAX_CORRECTION, Math.max(MIN_CORRECTION, allocSamples / expected));
		}
	}

	/** The allocation interval the last call to {@link #next} chose, in bytes. */
	public synchronized long allocInterval() {
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
		if (this.allocatedSinceLastCall == null) {
			return this.allocInterval;
		}
		long now = this.nanoTime.getAsLong();
		long allocated = this.allocatedSinceLastCall.getAsLong();
		if (this.measuring) {
			double seconds = Math.max(1e-3, (now - this.lastPlanNanos) / 1e9);
			remember(this.window, allocated);
			// Each window weighs by its length: short windows move the average little, and the
			// first measured window (before it, nothing) is taken whole.
			double decay = Math.exp(-seconds / RATE_TIME_CONSTANT_SECONDS);
			this.decayedBytes = this.decayedBytes * decay + allocated;
			this.decayedSeconds = this.decayedSeconds * decay + seconds;
			double bytesPerSecond = this.decayedBytes / this.decayedSeconds;
			long interval = Math.round(bytesPerSecond * this.correction / this.settings.alloc().samplesPerSecond());
			this.allocInterval = Math.min(MAX_ALLOC_INTERVAL, Math.max(MIN_ALLOC_INTERVAL, interval));
		}
		this.measuring = true;
		this.lastPlanNanos = now;
		return this.allocInterval;
	}

	private void remember(long window, long allocated) {
		this.allocatedByWindow.put(window, allocated);
		if (this.allocatedByWindow.size() > MAX_PENDING_WINDOWS) {
			this.allocatedByWindow.remove(this.allocatedByWindow.keySet().iterator().next());
		}
	}

}
