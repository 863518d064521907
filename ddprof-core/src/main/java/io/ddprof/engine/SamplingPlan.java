package io.ddprof.engine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import io.ddprof.config.ProfilerSettings;
import org.jspecify.annotations.Nullable;

/**
 * Chooses what each window records. Two decisions live here because the cost budget needs
 * them (docs/design.md, Cost):
 * <ul>
 * <li>Intervals vary by up to 5% from window to window and are rarely round numbers, so
 * that sampling does not march in step with periodic work (at exactly 10 ms, a 7 ms + 3
 * ms loop read anywhere from 49% to 80% for its first half).</li>
 * <li>Without a fixed {@code ddprof.alloc.interval}, the allocation interval is re-chosen
 * at each window to keep about {@code samples-per-second} allocation samples per second
 * whatever the application allocates: from the allocation rate averaged over about the
 * last {@value #RATE_TIME_CONSTANT_SECONDS} seconds (so that one burst on a short window
 * does not swing it), times how many samples async-profiler took per interval of bytes in
 * the last window it {@linkplain #observe observed} (a window whose interval a check
 * changed counts too, each stretch of it at its own interval). That ratio is not 1: the
 * JVM's heap sampler (JVMTI {@code SampledObjectAlloc}, which async-profiler's
 * {@code alloc} uses) before JDK 25 counts the free rest of a TLAB again for every
 * allocation made outside it (JDK-8356372), and at intervals of 16 MB to 1 GB takes 1.0
 * to 1.9 times the samples asked for when objects of tens to hundreds of KB are
 * allocated, depending on heap and TLAB sizes; allocation by threads that ended before
 * the rate was read is not in the rate but is sampled.</li>
 * <li>Between cuts the plan is {@linkplain #replan checked} every {@link #REPLAN_PERIOD},
 * so that a service pays for the first window's guess (or for a load that arrives after
 * an idle spell) a few seconds at most, not a minute: the recording restarts with a new
 * interval when the one in force would take more samples than planned by a factor (or
 * fewer, once the load has eased). While the rate is still unknown (less than
 * {@value #RATE_TIME_CONSTANT_SECONDS} s of it) the factor is the one a cut applies;
 * afterwards {@value #REPLAN_FACTOR}, so that an ordinary burst waits for the next cut
 * and the recording does not restart at every change of the load.</li>
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
	 * Fewest allocation samples a window must have been expected to take for its ratio of
	 * taken to expected samples to count: below, Poisson noise alone moves the ratio by
	 * more than 15%.
	 */
	static final double MIN_EXPECTED_SAMPLES = 50;

	/**
	 * Bounds of the samples-taken-per-expected-sample ratio applied, so one odd window
	 * cannot run away.
	 */
	static final double MIN_CORRECTION = 0.5;

	static final double MAX_CORRECTION = 4;

	/** How often the plan is checked between cuts (see {@link #replan}). */
	public static final java.time.Duration REPLAN_PERIOD = java.time.Duration.ofSeconds(2);

	/**
	 * How far the interval in force may be from the planned one between cuts, once the
	 * rate is known, before the recording restarts: at most twice the planned samples,
	 * for a few seconds.
	 */
	static final double REPLAN_FACTOR = 2;

	/** Windows whose allocation is remembered until their sample count is observed. */
	private static final int MAX_PENDING_WINDOWS = 8;

	private static final double JITTER = 0.05;

	private final ProfilerSettings settings;

	private final RandomGenerator random;

	private final @Nullable LongSupplier allocatedSinceLastCall;

	private final LongSupplier nanoTime;

	/**
	 * What each recent window allocated, by window number, until its samples are
	 * observed.
	 */
	private final Map<Long, WindowAllocation> allocatedByWindow = new LinkedHashMap<>();

	private long allocInterval = INITIAL_ALLOC_INTERVAL;

	private long window;

	private long lastPlanNanos;

	private boolean measuring;

	/** Exponentially decayed sums of the bytes allocated and of the seconds they took. */
	private double decayedBytes;

	private double decayedSeconds;

	private double correction = 1.0;

	/** Seconds of allocation measured since the first window. */
	private double measuredSeconds;

	/**
	 * Bytes allocated by the window being recorded at the interval now in force, over the
	 * measurements made so far.
	 */
	private long allocatedThisStretch;

	/**
	 * Samples the window being recorded was expected to take (one per interval of bytes)
	 * at the intervals it ran at before a check changed the one now in force.
	 */
	private double expectedBeforeThisStretch;

	/** A plan for the given settings. */
	public SamplingPlan(ProfilerSettings settings, RandomGenerator random) {
		this(settings, random, new AllocationRate());
	}

	private SamplingPlan(ProfilerSettings settings, RandomGenerator random, AllocationRate allocationRate) {
		this(settings, random, allocationRate.supported() ? allocationRate::allocatedSinceLastCall : null,
				System::nanoTime);
	}

	/**
	 * A plan measuring allocation with {@code allocatedSinceLastCall} ({@code null} when
	 * the JVM cannot), on the clock {@code nanoTime}.
	 */
	SamplingPlan(ProfilerSettings settings, RandomGenerator random, @Nullable LongSupplier allocatedSinceLastCall,
			LongSupplier nanoTime) {
		this.settings = settings;
		this.random = random;
		this.allocatedSinceLastCall = allocatedSinceLastCall;
		this.nanoTime = nanoTime;
	}

	/**
	 * The options of the next window. Called at each window's start, on the recorder
	 * thread.
	 * @param window the number of the window about to start; the allocation measured
	 * since the previous call is that of the window the previous call started
	 * @param wallThreadFilter whether a tracer is wired in, so that wall-clock sampling
	 * can be limited to threads holding a span
	 */
	public synchronized RecordingOptions next(long window, boolean wallThreadFilter) {
		ProfilerSettings s = this.settings;
		boolean alloc = s.alloc().enabled() || s.liveHeapEnabled();
		RecordingOptions options = new RecordingOptions(s.cpu().enabled() ? jitter(s.cpu().interval()) : null,
				s.wall().enabled() ? jitter(s.wall().interval()) : null, wallThreadFilter && s.wall().contextFilter(),
				s.wall().threadsPerTick(), alloc ? nextAllocInterval() : null, s.alloc().samplesPerSecond(),
				s.liveHeapEnabled(), s.lock().enabled() ? s.lock().threshold() : null, s.stackDepth());
		this.window = window;
		this.allocatedThisStretch = 0;
		this.expectedBeforeThisStretch = 0;
		return options;
	}

	/**
	 * Checks, between cuts, whether the allocation interval in force still fits the
	 * allocation rate. It is planned from the higher of the rate since the last check and
	 * the averaged rate, so that a load arriving costs at most one {@link #REPLAN_PERIOD}
	 * of oversampling, while an easing load is followed at the averaged pace. Called on
	 * the recorder thread.
	 * @param inForce what the recording in progress records
	 * @return the options to restart the recording with now (the same but the allocation
	 * interval), or {@code null} when the interval in force is close enough
	 */
	public synchronized @Nullable RecordingOptions replan(@Nullable RecordingOptions inForce) {
		if (inForce == null || inForce.allocInterval() == null || this.settings.alloc().interval() != null
				|| this.allocatedSinceLastCall == null || !this.measuring) {
			return null;
		}
		boolean young = this.measuredSeconds < RATE_TIME_CONSTANT_SECONDS;
		double recentRate = measure();
		long inForceInterval = inForce.allocInterval();
		double rate = Math.max(recentRate, this.decayedBytes / this.decayedSeconds);
		long planned = intervalFor(rate);
		double factor = young ? AsyncProfilerEngine.ALLOC_RESTART_FACTOR : REPLAN_FACTOR;
		double ratio = (double) Math.max(planned, inForceInterval) / Math.max(1, Math.min(planned, inForceInterval));
		if (ratio <= factor) {
			return null;
		}
		this.allocInterval = planned;
		// What the window allocated so far ran at the interval in force: counted as such,
		// the window's samples can still correct the plan.
		this.expectedBeforeThisStretch += (double) this.allocatedThisStretch / inForceInterval;
		this.allocatedThisStretch = 0;
		return new RecordingOptions(inForce.cpuInterval(), inForce.wallInterval(), inForce.wallThreadFilter(),
				inForce.wallThreadsPerTick(), planned, inForce.allocSamplesPerSecond(), inForce.live(),
				inForce.lockThreshold(), inForce.stackDepth());
	}

	/**
	 * Tells how many allocation samples a finished window took, so that the next
	 * intervals aim at what the sampler really does rather than at one sample per
	 * interval. Called on the export thread, for windows recorded by async-profiler only
	 * (the JFR engine throttles by itself). A window during which a check changed the
	 * interval counts each stretch at the interval it ran at, so that the first window
	 * (on which the plan converges from the initial interval) corrects the plan too.
	 * Right after a check raises the interval, each thread still takes its next sample at
	 * a distance drawn from the interval before (the JVM keeps a per-thread countdown),
	 * which adds at most a sample per thread per check.
	 * @param window the window's number
	 * @param allocInterval the allocation interval the window was recorded with at its
	 * end, in bytes
	 * @param allocSamples the allocation samples it holds
	 */
	public synchronized void observe(long window, long allocInterval, long allocSamples) {
		WindowAllocation allocated = this.allocatedByWindow.remove(window);
		if (allocated == null || allocInterval <= 0 || this.settings.alloc().interval() != null) {
			return;
		}
		double expected = allocated.expectedBeforeLastStretch()
				+ (double) allocated.allocatedInLastStretch() / allocInterval;
		if (expected >= MIN_EXPECTED_SAMPLES) {
			// The last window alone: the ratio depends on the interval, which the
			// correction itself
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
		if (this.measuring) {
			measure();
			remember(this.window, new WindowAllocation(this.expectedBeforeThisStretch, this.allocatedThisStretch));
			this.allocInterval = intervalFor(this.decayedBytes / this.decayedSeconds);
		}
		else {
			// Counts from now on: what start-up allocated before the first window is not
			// its rate.
			this.allocatedSinceLastCall.getAsLong();
			this.lastPlanNanos = this.nanoTime.getAsLong();
		}
		this.measuring = true;
		return this.allocInterval;
	}

	/**
	 * Adds the allocation since the last measurement to the averaged rate and to the
	 * window's bytes; returns the rate since the last measurement, in bytes per second.
	 */
	private double measure() {
		long now = this.nanoTime.getAsLong();
		long allocated = this.allocatedSinceLastCall.getAsLong();
		double seconds = Math.max(1e-3, (now - this.lastPlanNanos) / 1e9);
		this.lastPlanNanos = now;
		this.measuredSeconds += seconds;
		this.allocatedThisStretch += allocated;
		// Each measurement weighs by its length: short ones move the average little, and
		// the
		// first (before it, nothing) is taken whole.
		double decay = Math.exp(-seconds / RATE_TIME_CONSTANT_SECONDS);
		this.decayedBytes = this.decayedBytes * decay + allocated;
		this.decayedSeconds = this.decayedSeconds * decay + seconds;
		return allocated / seconds;
	}

	private long intervalFor(double bytesPerSecond) {
		long interval = Math.round(bytesPerSecond * this.correction / this.settings.alloc().samplesPerSecond());
		return Math.min(MAX_ALLOC_INTERVAL, Math.max(MIN_ALLOC_INTERVAL, interval));
	}

	private void remember(long window, WindowAllocation allocated) {
		this.allocatedByWindow.put(window, allocated);
		if (this.allocatedByWindow.size() > MAX_PENDING_WINDOWS) {
			this.allocatedByWindow.remove(this.allocatedByWindow.keySet().iterator().next());
		}
	}

	/**
	 * What a window allocated: the samples expected at the intervals it ran at before its
	 * last, and the bytes it allocated at its last (known when the window is observed).
	 */
	private record WindowAllocation(double expectedBeforeLastStretch, long allocatedInLastStretch) {

	}

}
