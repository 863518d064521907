package io.ddprof;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.Exporter;
import io.ddprof.format.ProfileReader;
import io.ddprof.format.Samples;
import io.ddprof.profile.EventType;
import io.ddprof.window.RecordedWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Allocation samples taken by async-profiler against the bytes allocated: each sample
 * counted once across windows cut by {@code dump}, and the adaptive interval holding
 * about the target rate even where async-profiler takes more samples per interval of
 * bytes than the plan measured (allocation by threads that ended, the JVM's heap
 * sampler).
 */
class AllocationSamplingTests {

	@TempDir
	Path temp;

	@Test
	void windowsCutWhileRecordingHoldAboutOneSamplePerIntervalOfSmallObjects() throws Exception {
		long interval = 4L << 20;
		AllocationCounts counts = new AllocationCounts();
		Profiler profiler = new Profiler(
				settings().allocInterval(interval).uploadPeriod(Duration.ofMinutes(10)).build());
		profiler.addExporter(counts);
		Allocator allocator = new Allocator(1024);
		profiler.start(false, false);
		allocator.start();
		for (int i = 0; i < 3; i++) {
			Thread.sleep(800);
			profiler.cutWindow().get();
		}
		allocator.stop();
		long allocated = allocator.allocatedBytes();
		profiler.stop(true);

		// Windows after the first are cut by dump (a fixed interval never restarts the
		// recording):
		// nothing unrecorded between them.
		assertThat(counts.windows()).hasSize(4);
		assertThat(counts.windows()).allMatch((window) -> window.seamNanos() == 0);
		// For objects far smaller than a TLAB the JVM samples about once per interval:
		// the windows
		// together hold each of those samples once, neither lost nor repeated at a cut.
		double expected = (double) allocated / interval;
		assertThat(expected).isGreaterThan(200);
		assertThat(counts.allocSamples() / expected).isBetween(0.8, 1.25);
	}

	@Test
	void adaptiveIntervalHoldsTheTargetRateWhenMostAllocationEscapesTheRateEstimate() throws Exception {
		int target = 100;
		AllocationCounts counts = new AllocationCounts();
		Profiler profiler = new Profiler(
				settings().allocSamplesPerSecond(target).uploadPeriod(Duration.ofMillis(1500)).build());
		profiler.addExporter(counts);
		// Two thirds of the allocation is done by threads that end within a tenth of a
		// second,
		// which the per-thread counters the plan reads mostly no longer show at the next
		// window:
		// an interval of measured rate / target alone takes two to three times the target
		// rate.
		// The JDK 17 heap sampler does the like to objects of tens of KB (see
		// SamplingPlan), by an
		// amount that depends on heap and TLAB sizes; objects of 1 KB it samples once per
		// interval.
		PacedAllocation allocation = new PacedAllocation(1024, 25L << 20, Duration.ofMillis(100), 2);
		allocation.start();
		Thread.sleep(1000);
		profiler.start(false, false);
		await().atMost(Duration.ofSeconds(60)).until(() -> counts.windows().size() >= 6);
		allocation.stop();
		profiler.stop(true);

		// The first two windows learn the rate and the samples taken per interval; the
		// next four
		// run on both.
		List<Window> windows = counts.windows();
		List<Window> settled = windows.stream().filter((w) -> w.sequence() >= 3 && w.sequence() <= 6).toList();
		assertThat(settled).hasSize(4);
		long samples = settled.stream().mapToLong(Window::allocSamples).sum();
		double seconds = settled.stream().mapToDouble(Window::seconds).sum();
		assertThat(samples / seconds / target).as("allocation samples per second over the target, in %s", windows)
			.isBetween(0.5, 1.5);
	}

	private ProfilerSettings.Builder settings() {
		return ProfilerSettings.builder()
			.service("allocation-sampling-tests")
			.engine(EngineChoice.ASYNC_PROFILER)
			.cpuEnabled(false)
			.wallEnabled(false)
			.lockEnabled(false)
			.uploadEnabled(false)
			.tempDirectory(this.temp);
	}

	/** One window as the test saw it. */
	record Window(long sequence, double seconds, long seamNanos, Long allocInterval, long allocSamples) {
	}

	/** Counts the allocation samples of each window as ddprof reads them. */
	static final class AllocationCounts implements Exporter {

		private final List<Window> windows = new CopyOnWriteArrayList<>();

		@Override
		public String name() {
			return "allocation-counts";
		}

		@Override
		public void export(RecordedWindow profile) throws IOException {
			Samples samples = ProfileReader.readWindows(List.of(profile));
			long alloc = 0;
			for (int i = 0; i < samples.size(); i++) {
				if (samples.type(i) == EventType.ALLOC) {
					alloc += samples.count(i);
				}
			}
			double seconds = Duration.between(profile.start(), profile.end()).toNanos() / 1e9;
			this.windows.add(new Window(profile.sequence(), seconds, profile.seamNanos(),
					(profile.options() != null) ? profile.options().allocInterval() : null, alloc));
		}

		List<Window> windows() {
			return new ArrayList<>(this.windows);
		}

		long allocSamples() {
			return this.windows.stream().mapToLong(Window::allocSamples).sum();
		}

	}

	/** A thread allocating arrays of one size as fast as it can, holding the last few. */
	static final class Allocator {

		static volatile Object sink;

		private final Thread thread;

		private volatile boolean running = true;

		private volatile long allocated;

		Allocator(int arraySize) {
			this.thread = new Thread(() -> {
				com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
					.getThreadMXBean();
				long before = threads.getCurrentThreadAllocatedBytes();
				byte[][] held = new byte[16][];
				int i = 0;
				while (this.running) {
					for (int k = 0; k < 64; k++, i++) {
						byte[] array = new byte[arraySize];
						array[i % arraySize] = (byte) i;
						held[i & 15] = array;
					}
				}
				sink = held;
				this.allocated = threads.getCurrentThreadAllocatedBytes() - before;
			}, "allocator");
			this.thread.setDaemon(true);
		}

		void start() {
			this.thread.start();
		}

		void stop() throws InterruptedException {
			this.running = false;
			this.thread.join(10_000);
		}

		/** Bytes the thread allocated from its start to its stop. */
		long allocatedBytes() {
			return this.allocated;
		}

	}

	/**
	 * Allocates {@code bytesPerSlot} in arrays of one size every {@code slot} on a thread
	 * that lives throughout, and as much again on each of {@code shortLived} new threads
	 * that end when done.
	 */
	static final class PacedAllocation {

		static volatile Object sink;

		private final int arraySize;

		private final long bytesPerSlot;

		private final Duration slot;

		private final int shortLived;

		private final Thread pacer;

		private volatile boolean running = true;

		PacedAllocation(int arraySize, long bytesPerSlot, Duration slot, int shortLived) {
			this.arraySize = arraySize;
			this.bytesPerSlot = bytesPerSlot;
			this.slot = slot;
			this.shortLived = shortLived;
			this.pacer = new Thread(this::pace, "paced-allocation");
			this.pacer.setDaemon(true);
		}

		void start() {
			this.pacer.start();
		}

		void stop() throws InterruptedException {
			this.running = false;
			this.pacer.join(10_000);
		}

		private void pace() {
			long next = System.nanoTime();
			while (this.running) {
				List<Thread> threads = new ArrayList<>();
				for (int i = 0; i < this.shortLived; i++) {
					Thread thread = new Thread(this::allocateSlot, "short-lived-allocation");
					thread.setDaemon(true);
					thread.start();
					threads.add(thread);
				}
				allocateSlot();
				try {
					for (Thread thread : threads) {
						thread.join(10_000);
					}
					// A slot that ran late is not made up for: the rate never goes above
					// its pace.
					next = Math.max(next + this.slot.toNanos(), System.nanoTime());
					long sleep = next - System.nanoTime();
					if (sleep > 0) {
						Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
					}
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		private void allocateSlot() {
			byte[][] held = new byte[16][];
			for (long done = 0, i = 0; done < this.bytesPerSlot; done += this.arraySize, i++) {
				byte[] array = new byte[this.arraySize];
				array[(int) (i % this.arraySize)] = (byte) i;
				held[(int) (i & 15)] = array;
			}
			sink = held;
		}

	}

}
