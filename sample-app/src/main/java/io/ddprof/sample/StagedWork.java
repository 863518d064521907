package io.ddprof.sample;

import java.io.IOException;
import java.time.Duration;

import org.springframework.stereotype.Component;

/**
 * Work in the shape of most service endpoints: compute, wait for a downstream service,
 * compute again. On virtual threads the wait unmounts the request's thread from its
 * carrier, and the second half may run on another carrier: each kind of work has its own
 * method, so that its samples show which request they belong to.
 */
@Component
public class StagedWork {

	private final PrimeSearch primeSearch;

	private final SlowDownstream downstream;

	StagedWork(PrimeSearch primeSearch, SlowDownstream downstream) {
		this.primeSearch = primeSearch;
		this.downstream = downstream;
	}

	/**
	 * Prices an order: {@code cpu} of computing split around a downstream call of
	 * {@code wait}.
	 */
	public long quote(Duration cpu, Duration wait) throws IOException {
		long found = this.primeSearch.searchPrimes(cpu.dividedBy(2));
		this.downstream.callSlowDownstream(wait);
		return found + this.primeSearch.searchPrimes(cpu.dividedBy(2));
	}

	/** Ranks search results, in the same shape as {@link #quote}. */
	public long rank(Duration cpu, Duration wait) throws IOException {
		long found = this.primeSearch.searchPrimes(cpu.dividedBy(2));
		this.downstream.callSlowDownstream(wait);
		return found + this.primeSearch.searchPrimes(cpu.dividedBy(2));
	}

	/** Renders a report, in the same shape as {@link #quote}. */
	public long render(Duration cpu, Duration wait) throws IOException {
		long found = this.primeSearch.searchPrimes(cpu.dividedBy(2));
		this.downstream.callSlowDownstream(wait);
		return found + this.primeSearch.searchPrimes(cpu.dividedBy(2));
	}

}
