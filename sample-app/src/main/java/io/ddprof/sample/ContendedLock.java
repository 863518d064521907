package io.ddprof.sample;

import java.time.Duration;

import org.springframework.stereotype.Component;

/**
 * Lock contention: every caller holds one shared monitor for a few milliseconds, so
 * concurrent requests queue behind each other on it.
 */
@Component
public class ContendedLock {

	private final Object monitor = new Object();

	/**
	 * Holds the shared monitor for {@code hold}; returns how long the caller waited to
	 * enter it, in nanoseconds.
	 */
	public long holdSharedLock(Duration hold) throws InterruptedException {
		long arrived = System.nanoTime();
		synchronized (this.monitor) {
			long waited = System.nanoTime() - arrived;
			// Sleeping with the monitor held stands for slow work done under a coarse
			// lock.
			Thread.sleep(hold.toMillis());
			return waited;
		}
	}

}
