package io.ddprof.engine;

import java.time.Duration;
import java.util.Random;
import java.util.function.LongSupplier;

import io.ddprof.config.ProfilerSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The plan's arithmetic, with the bytes each window allocates and the time it lasts given
 * by the test: what the allocation interval becomes after steady load, a burst, a lasting
 * change, and windows that took more or fewer samples than one per interval.
 */
class SamplingPlanTests {

	private static final long MB = 1L << 20;

	private final ProfilerSettings settings = ProfilerSettings.builder().allocSamplesPerSecond(200).build();

	private long nanos = 1_000_000_000L;

	private long allocated;

	private long window;

	private final SamplingPlan plan = new SamplingPlan(this.settings, new Random(1), this::takeAllocated,
			() -> this.nanos);

	@Test
	void firstWindowRunsAtTheInitialInterval() {
		assertThat(start()).isEqualTo(SamplingPlan.INITIAL_ALLOC_INTERVAL);
	}

	@Test
	void firstMeasuredWindowSetsTheIntervalFromItsRateAlone() {
		start();
		// 400 MB/s at 200 samples per second: one sample every 2 MB.
		assertThat(window(Duration.ofSeconds(5), 2000 * MB)).isEqualTo(2 * MB);
	}

	@Test
	void oneBurstOnAShortWindowMovesTheIntervalLittle() {
		steadyOneSecondWindows();
		// Ten times the rate for one second moves the interval by about 1.5, not ten.
		long afterBurst = window(Duration.ofSeconds(1), 4000 * MB);
		assertThat((double) afterBurst / (2 * MB)).isBetween(1.3, 1.6);
		long afterCalm = window(Duration.ofSeconds(1), 400 * MB);
		assertThat(afterCalm).isLessThan(afterBurst);
	}

	@Test
	void aBurstOfTwiceTheRateStaysWithinWhatLeavesTheRecordingRunning() {
		steadyOneSecondWindows();
		long afterBurst = window(Duration.ofSeconds(1), 800 * MB);
		assertThat((double) afterBurst / (2 * MB)).isBetween(1.0, AsyncProfilerEngine.ALLOC_RESTART_FACTOR);
	}

	@Test
	void aLastingChangeIsFollowedWithinAFewTimeConstants() {
		start();
		window(Duration.ofSeconds(60), 400 * 60 * MB);
		// Four times the rate from now on, in ten-second windows.
		long interval = window(Duration.ofSeconds(10), 1600 * 10 * MB);
		assertThat((double) interval / (8 * MB)).isBetween(0.3, 0.5);
		for (int i = 0; i < 5; i++) {
			interval = window(Duration.ofSeconds(10), 1600 * 10 * MB);
		}
		assertThat((double) interval / (8 * MB)).isBetween(0.8, 0.9);
		for (int i = 0; i < 18; i++) {
			interval = window(Duration.ofSeconds(10), 1600 * 10 * MB);
		}
		assertThat((double) interval / (8 * MB)).isCloseTo(1.0, within(0.01));
	}

	@Test
	void minuteLongWindowsFollowTheLastWindowMostly() {
		start();
		window(Duration.ofSeconds(60), 400 * 60 * MB);
		long interval = window(Duration.ofSeconds(60), 1600 * 60 * MB);
		// The minute before weighs e^-2 of the last one: 1 / (1 + e^-2), 88% of the way
		// from 2 MB to 8 MB.
		assertThat((double) interval / MB).isCloseTo(2 + 6 / (1 + Math.exp(-2)), within(0.01));
	}

	@Test
	void windowsTakingTwiceTheSamplesExpectedDoubleTheInterval() {
		start();
		window(Duration.ofSeconds(10), 4000 * MB);
		long interval = window(Duration.ofSeconds(10), 4000 * MB);
		assertThat(interval).isEqualTo(2 * MB);
		// Window 2 allocated 4000 MB at 2 MB: 2000 samples expected, 4000 taken.
		this.plan.observe(2, 2 * MB, 4000);
		assertThat(window(Duration.ofSeconds(10), 4000 * MB)).isEqualTo(4 * MB);
		// The correction is the last observed window's, not a product of all of them.
		this.plan.observe(3, 2 * MB, 4000);
		assertThat(window(Duration.ofSeconds(10), 4000 * MB)).isEqualTo(4 * MB);
	}

	@Test
	void windowsTakingTooFewSamplesToJudgeDoNotCorrect() {
		start();
		window(Duration.ofSeconds(10), 4000 * MB);
		// 4000 MB at 160 MB: 25 samples expected, too few to tell 80 from noise.
		this.plan.observe(1, 160 * MB, 80);
		assertThat(window(Duration.ofSeconds(10), 4000 * MB)).isEqualTo(2 * MB);
	}

	@Test
	void correctionIsBounded() {
		start();
		window(Duration.ofSeconds(10), 4000 * MB);
		this.plan.observe(1, 2 * MB, 100_000);
		assertThat(window(Duration.ofSeconds(10), 4000 * MB)).isEqualTo((long) (2 * MB * SamplingPlan.MAX_CORRECTION));
		this.plan.observe(2, 2 * MB, 0);
		assertThat(window(Duration.ofSeconds(10), 4000 * MB)).isEqualTo((long) (2 * MB * SamplingPlan.MIN_CORRECTION));
	}

	@Test
	void observationsOfWindowsNotMeasuredAreIgnored() {
		start();
		window(Duration.ofSeconds(10), 4000 * MB);
		this.plan.observe(7, 2 * MB, 100_000);
		this.plan.observe(1, 2 * MB, 2000);
		// A window is observed once.
		this.plan.observe(1, 2 * MB, 100_000);
		assertThat(window(Duration.ofSeconds(10), 4000 * MB)).isEqualTo(2 * MB);
	}

	@Test
	void intervalStaysWithinItsBounds() {
		start();
		assertThat(window(Duration.ofSeconds(10), 0)).isEqualTo(SamplingPlan.MIN_ALLOC_INTERVAL);
		SamplingPlan fresh = new SamplingPlan(this.settings, new Random(1), () -> Long.MAX_VALUE / 4, () -> this.nanos);
		fresh.next(1, false);
		this.nanos += Duration.ofSeconds(1).toNanos();
		assertThat(fresh.next(2, false).allocInterval()).isEqualTo(SamplingPlan.MAX_ALLOC_INTERVAL);
	}

	@Test
	void fixedIntervalIsKeptWhateverTheRateAndTheSamples() {
		SamplingPlan fixed = new SamplingPlan(ProfilerSettings.builder().allocInterval(512L * 1024).build(),
				new Random(1), this::takeAllocated, () -> this.nanos);
		assertThat(fixed.next(1, false).allocInterval()).isEqualTo(512L * 1024);
		this.allocated = 4000 * MB;
		this.nanos += Duration.ofSeconds(1).toNanos();
		fixed.observe(1, 512L * 1024, 1);
		assertThat(fixed.next(2, false).allocInterval()).isEqualTo(512L * 1024);
	}

	@Test
	void withoutPerThreadAllocationCountsTheInitialIntervalStays() {
		SamplingPlan blind = new SamplingPlan(this.settings, new Random(1), null, () -> this.nanos);
		blind.next(1, false);
		this.nanos += Duration.ofSeconds(10).toNanos();
		assertThat(blind.next(2, false).allocInterval()).isEqualTo(SamplingPlan.INITIAL_ALLOC_INTERVAL);
	}

	@Test
	void aRateMeasuredInTheFirstSecondsGivesTheIntervalTheSteadyPlanGives() {
		start();
		// 400 MB/s: the steady plan's interval is 2 MB (steadyOneSecondWindows).
		RecordingOptions replanned = check(Duration.ofSeconds(2), 800 * MB, SamplingPlan.INITIAL_ALLOC_INTERVAL);
		assertThat(replanned).isNotNull();
		assertThat((double) replanned.allocInterval() / (2 * MB))
			.isBetween(1 / AsyncProfilerEngine.ALLOC_RESTART_FACTOR, AsyncProfilerEngine.ALLOC_RESTART_FACTOR);
		// The same rate measured again does not restart the recording.
		assertThat(check(Duration.ofSeconds(2), 800 * MB, replanned.allocInterval())).isNull();
		// Nor does the cut, nor the windows after it: the plan stays where the check put
		// it.
		long atCut = window(Duration.ofSeconds(56), 56 * 400 * MB);
		assertThat((double) atCut / replanned.allocInterval()).isBetween(1 / AsyncProfilerEngine.ALLOC_RESTART_FACTOR,
				AsyncProfilerEngine.ALLOC_RESTART_FACTOR);
	}

	@Test
	void aCheckKeepsEverythingButTheAllocationInterval() {
		RecordingOptions first = this.plan.next(++this.window, false);
		this.nanos += 2_000_000_000L;
		this.allocated = 800 * MB;
		RecordingOptions replanned = this.plan.replan(first);
		assertThat(replanned).usingRecursiveComparison().ignoringFields("allocInterval").isEqualTo(first);
		assertThat(replanned.allocInterval()).isNotEqualTo(first.allocInterval());
		assertThat(this.plan.allocInterval()).isEqualTo(replanned.allocInterval());
	}

	@Test
	void aLoadArrivingAfterAnIdleSpellIsFollowedAtTheNextCheck() {
		start();
		for (int i = 0; i < 10; i++) {
			window(Duration.ofSeconds(60), 60 * MB);
		}
		assertThat(this.plan.allocInterval()).isEqualTo(SamplingPlan.MIN_ALLOC_INTERVAL);
		// 400 MB/s from now on: at the idle interval, 1,600 samples a second instead of
		// 200.
		RecordingOptions replanned = check(Duration.ofSeconds(2), 800 * MB, SamplingPlan.MIN_ALLOC_INTERVAL);
		assertThat(replanned).isNotNull();
		assertThat(replanned.allocInterval()).isEqualTo(2 * MB);
	}

	@Test
	void anOrdinaryBurstOnceTheRateIsKnownWaitsForTheCut() {
		steadyOneSecondWindows();
		window(Duration.ofSeconds(10), 4000 * MB);
		// One and a half times the rate for two seconds: within what the recording keeps.
		assertThat(check(Duration.ofSeconds(2), 1200 * MB, 2 * MB)).isNull();
		// Three times the rate: too many samples to wait for the cut.
		assertThat(check(Duration.ofSeconds(2), 2400 * MB, 2 * MB)).isNotNull();
	}

	@Test
	void anEasingLoadIsFollowedAtTheAveragedPace() {
		start();
		window(Duration.ofSeconds(60), 60 * 400 * MB);
		// A tenth of the load for two seconds: the average has hardly moved.
		assertThat(check(Duration.ofSeconds(2), 80 * MB, 2 * MB)).isNull();
	}

	@Test
	void aWindowThatChangedIntervalCorrectsThePlanStretchByStretch() {
		// Window 2 runs 2 s at 2 MB (8000 MB: 4000 samples expected), then a check moves
		// it to 20 MB for 8 s (3200 MB: 160 expected). Twice the 4160 samples expected
		// doubles the next interval, as a window at one interval would.
		long asExpected = afterAReplannedWindow(4160);
		long twice = afterAReplannedWindow(8320);
		// Ignoring the window would give 1; counting all of it at the 20 MB of its end
		// (320
		// samples expected) would take both counts for oversampling and bound both at 4.
		assertThat((double) twice / asExpected).isCloseTo(2.0, within(0.01));
	}

	/**
	 * A plan whose second window a check moves from 2 MB to 20 MB, observed with
	 * {@code samples}; returns the interval the plan chooses after its third window.
	 */
	private long afterAReplannedWindow(long samples) {
		long[] clock = { 1_000_000_000L };
		long[] bytes = { 0 };
		LongSupplier take = () -> {
			long taken = bytes[0];
			bytes[0] = 0;
			return taken;
		};
		SamplingPlan plan = new SamplingPlan(this.settings, new Random(1), take, () -> clock[0]);
		plan.next(1, false);
		clock[0] += 10_000_000_000L;
		bytes[0] = 4000 * MB;
		assertThat(plan.next(2, false).allocInterval()).isEqualTo(2 * MB);
		clock[0] += 2_000_000_000L;
		bytes[0] = 8000 * MB;
		RecordingOptions replanned = plan
			.replan(new RecordingOptions(null, null, false, 16, 2 * MB, 200, false, null, 64));
		assertThat(replanned).isNotNull();
		assertThat(replanned.allocInterval()).isEqualTo(20 * MB);
		clock[0] += 8_000_000_000L;
		bytes[0] = 3200 * MB;
		plan.next(3, false);
		plan.observe(2, 20 * MB, samples);
		clock[0] += 10_000_000_000L;
		bytes[0] = 4000 * MB;
		return plan.next(4, false).allocInterval();
	}

	@Test
	void noCheckChangesAFixedInterval() {
		SamplingPlan fixed = new SamplingPlan(ProfilerSettings.builder().allocInterval(512L * 1024).build(),
				new Random(1), this::takeAllocated, () -> this.nanos);
		RecordingOptions options = fixed.next(1, false);
		this.nanos += 2_000_000_000L;
		this.allocated = 8000 * MB;
		assertThat(fixed.replan(options)).isNull();
	}

	@Test
	void cpuAndWallIntervalsVaryByAtMostFivePercent() {
		for (int i = 1; i <= 50; i++) {
			RecordingOptions options = this.plan.next(i, false);
			assertThat(options.cpuInterval().toNanos()).isBetween(9_500_000L, 10_500_000L);
			assertThat(options.wallInterval().toNanos()).isBetween(47_500_000L, 52_500_000L);
		}
	}

	/** Thirty one-second windows at 400 MB/s: an interval of 2 MB. */
	private void steadyOneSecondWindows() {
		start();
		for (int i = 0; i < 30; i++) {
			window(Duration.ofSeconds(1), 400 * MB);
		}
		assertThat(this.plan.allocInterval()).isEqualTo(2 * MB);
	}

	private long start() {
		return this.plan.next(++this.window, false).allocInterval();
	}

	/**
	 * Ends the current window after {@code length} having allocated {@code bytes};
	 * returns the next interval.
	 */
	private long window(Duration length, long bytes) {
		this.nanos += length.toNanos();
		this.allocated = bytes;
		return this.plan.next(++this.window, false).allocInterval();
	}

	/**
	 * A check between cuts after {@code length} having allocated {@code bytes}, with
	 * {@code inForce} recording.
	 */
	private RecordingOptions check(Duration length, long bytes, long inForce) {
		this.nanos += length.toNanos();
		this.allocated = bytes;
		return this.plan.replan(new RecordingOptions(null, null, false, 16, inForce, 200, false, null, 64));
	}

	private long takeAllocated() {
		long bytes = this.allocated;
		this.allocated = 0;
		return bytes;
	}

}
