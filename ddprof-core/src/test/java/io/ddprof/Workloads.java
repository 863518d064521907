package io.ddprof;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Threads doing one known thing each, so that tests can look for their methods in a
 * profile.
 */
final class Workloads {

	static volatile long cpuSink;

	static volatile Object allocationSink;

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running = true;

	/**
	 * Starts a spinner, an allocator, a sleeper and two threads contending on one
	 * monitor.
	 */
	static Workloads startAll() {
		Workloads workloads = new Workloads();
		workloads.start("spinner", workloads::spinInKnownMethod);
		workloads.start("allocator", workloads::allocateInKnownMethod);
		workloads.start("sleeper", workloads::sleepInKnownMethod);
		ContendedMonitor monitor = new ContendedMonitor();
		workloads.start("contender-1", () -> workloads.holdMonitor(monitor));
		workloads.start("contender-2", () -> workloads.holdMonitor(monitor));
		return workloads;
	}

	/**
	 * Waits at least {@code minimum}, then until the spinner has had {@code cpu} of CPU
	 * time (at most {@code limit}), so that a loaded machine still yields enough samples
	 * to judge by.
	 */
	void runFor(Duration minimum, Duration cpu, Duration limit) throws InterruptedException {
		long start = System.nanoTime();
		Thread.sleep(minimum.toMillis());
		ThreadMXBean bean = ManagementFactory.getThreadMXBean();
		Thread spinner = this.threads.get(0);
		while (bean.getThreadCpuTime(spinner.getId()) < cpu.toNanos() && System.nanoTime() - start < limit.toNanos()) {
			Thread.sleep(100);
		}
	}

	/**
	 * Waits until the spinner has had {@code cpu} more of CPU time, so that the window
	 * being recorded holds samples however loaded the machine is (a hang guard of a
	 * minute aside).
	 */
	void awaitSpinnerCpu(Duration cpu) {
		ThreadMXBean bean = ManagementFactory.getThreadMXBean();
		long spinner = this.threads.get(0).getId();
		long target = bean.getThreadCpuTime(spinner) + cpu.toNanos();
		await().atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> bean.getThreadCpuTime(spinner) >= target);
	}

	void stop() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
	}

	private void start(String name, Runnable body) {
		Thread thread = new Thread(body, name);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	void spinInKnownMethod() {
		long x = 1;
		while (this.running) {
			for (int i = 0; i < 100_000; i++) {
				x = x * 6364136223846793005L + 1442695040888963407L;
			}
			cpuSink = x;
		}
	}

	void allocateInKnownMethod() {
		while (this.running) {
			allocationSink = new byte[64 * 1024];
		}
	}

	void sleepInKnownMethod() {
		while (this.running) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	void holdMonitor(ContendedMonitor monitor) {
		while (this.running) {
			synchronized (monitor) {
				long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
				while (System.nanoTime() < until) {
					Thread.onSpinWait();
				}
			}
		}
	}

	/** The monitor two threads fight over; its class name shows in lock samples. */
	static final class ContendedMonitor {

	}

}
