package io.ddprof.benchmarks.load;

import java.time.Duration;

/**
 * What one load phase got from the server.
 *
 * @param requests requests answered with 200
 * @param errors requests that failed (another status or an I/O error)
 * @param elapsed how long the phase ran
 * @param p50Micros median latency, in microseconds
 * @param p99Micros 99th percentile latency, in microseconds
 * @param firstError the first failure, or {@code null}
 */
record LoadResult(long requests, long errors, Duration elapsed, long p50Micros, long p99Micros, String firstError) {

	/** Requests answered per second. */
	double throughput() {
		return this.requests / (this.elapsed.toNanos() / 1e9);
	}

}
