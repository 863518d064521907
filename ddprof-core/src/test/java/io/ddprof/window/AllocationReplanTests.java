package io.ddprof.window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.engine.AsyncProfilerEngine;
import io.ddprof.engine.SamplingPlan;
import io.ddprof.problem.ProblemLog;
import io.ddprof.testing.JfrEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rotation with async-profiler follows the allocation rate between cuts: a rate far
 * from the first window's guess restarts the recording within the window, counted with
 * the time it left unrecorded, and the window cut afterwards holds what was recorded on
 * both sides of the restart.
 */
class AllocationReplanTests {

	@TempDir
	Path temp;

	private final List<RecordedWindow> exported = new CopyOnWriteArrayList<>();

	private WindowRotator rotator;

	private volatile long sink;

	@AfterEach
	void stop() {
		if (this.rotator != null) {
			this.rotator.stop(false);
		}
	}

	@Test
	void aRateFarFromTheFirstGuessRestartsTheRecordingWithinTheWindow() throws Exception {
		// Twenty samples a second: whatever this machine allocates, the interval planned
		// from it is
		// far above the first window's 4 MB.
		ProfilerSettings settings = ProfilerSettings.builder()
			.service("replan-tests")
			.cpuEnabled(false)
			.wallEnabled(false)
			.lockEnabled(false)
			.allocSamplesPerSecond(20)
			.build();
		SamplingPlan plan = new SamplingPlan(settings, new Random(1));
		this.rotator = new WindowRotator(AsyncProfilerEngine.load(), plan, () -> false,
				Files.createDirectories(this.temp.resolve("windows")), (profile) -> {
					this.exported.add(profile);
					return CompletableFuture.completedFuture(profile);
				}, new ProblemLog(), Clock.systemUTC());
		this.rotator.start(Duration.ZERO, Duration.ofHours(1));
		long firstInterval = this.rotator.stats().options().allocInterval();
		allocateBeforeTheReplan();
		// Hang guard only: the check runs every two seconds.
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			allocateBeforeTheReplan();
			return this.rotator.stats().replans() > 0;
		});
		WindowRotator.WindowStats stats = this.rotator.stats();
		assertThat(stats.options().allocInterval()).isGreaterThan(firstInterval * 2);
		assertThat(stats.unrecordedNanos()).isPositive();
		assertThat(stats.windowsRecorded()).isZero();
		assertThat(plan.allocInterval()).isEqualTo(stats.options().allocInterval());
		allocateAfterTheReplan();
		RecordedWindow window = this.rotator.cutNow().get();
		assertThat(this.exported).containsExactly(window);
		assertThat(allocatingMethods(window.jfr())).contains("allocateBeforeTheReplan", "allocateAfterTheReplan");
		// The interval in force when the window ended (the 4 GB above may have moved it
		// again).
		assertThat(window.options().allocInterval()).isNotEqualTo(firstInterval);
	}

	private static List<String> allocatingMethods(Path window) throws Exception {
		return JfrEvents.methodsOnStacks(window, "jdk.ObjectAllocation", (name) -> name.endsWith("TheReplan"));
	}

	private void allocateBeforeTheReplan() {
		allocate(64);
	}

	private void allocateAfterTheReplan() {
		// Enough for samples at any interval the plan may have chosen (up to 1 GB).
		allocate(4096);
	}

	private void allocate(int megabytes) {
		long sum = 0;
		for (int i = 0; i < megabytes * 16; i++) {
			byte[] chunk = new byte[64 * 1024];
			chunk[i % chunk.length] = (byte) i;
			sum += chunk[i % chunk.length];
		}
		this.sink += sum;
	}

}
