package io.ddprof.sample;

import java.time.Duration;

import org.springframework.stereotype.Component;

/** CPU-bound work: counts primes by trial division for a given time. */
@Component
public class PrimeSearch {

	/**
	 * Counts primes from 2 upwards until {@code duration} has passed; returns how many
	 * were found.
	 */
	public long searchPrimes(Duration duration) {
		long deadline = System.nanoTime() + duration.toNanos();
		long found = 0;
		long candidate = 2;
		while (System.nanoTime() < deadline) {
			// A batch between clock reads, so that the time goes to the search, not the
			// clock.
			for (int i = 0; i < 256; i++, candidate++) {
				if (isPrime(candidate)) {
					found++;
				}
			}
		}
		return found;
	}

	private static boolean isPrime(long candidate) {
		if (candidate < 4) {
			return candidate > 1;
		}
		if (candidate % 2 == 0) {
			return false;
		}
		for (long divisor = 3; divisor * divisor <= candidate; divisor += 2) {
			if (candidate % divisor == 0) {
				return false;
			}
		}
		return true;
	}

}
