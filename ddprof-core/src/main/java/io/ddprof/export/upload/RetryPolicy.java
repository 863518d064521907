package io.ddprof.export.upload;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed upload is tried again: exponential backoff from {@code initialBackoff},
 * doubling up to {@code maxBackoff}, each delay jittered down to half so that many JVMs
 * restarted together do not retry in step; a window older than {@code maxAge} is given
 * up.
 *
 * @param initialBackoff the delay before the first retry
 * @param maxBackoff the longest delay between two tries
 * @param maxAge how long a window may wait in the queue before it is dropped as expired
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration maxAge) {

	/** How many upload periods a window may wait before it is given up. */
	public static final int PERIODS_KEPT = 3;

	/** The policy in force: 1 s doubling up to 30 s, for at most three upload periods. */
	public static RetryPolicy forPeriod(Duration uploadPeriod) {
		return new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), uploadPeriod.multipliedBy(PERIODS_KEPT));
	}

	/**
	 * The delay in nanoseconds before try {@code retry + 1}, {@code retry} counting from
	 * 1.
	 */
	long backoffNanos(int retry, RandomGenerator random) {
		long initial = this.initialBackoff.toNanos();
		long max = Math.max(initial, this.maxBackoff.toNanos());
		int doublings = Math.min(Math.max(retry - 1, 0), 62);
		long delay = (initial > (max >> doublings)) ? max : Math.min(max, initial << doublings);
		long half = delay / 2;
		return half + ((delay - half > 0) ? random.nextLong(delay - half + 1) : 0);
	}

}
