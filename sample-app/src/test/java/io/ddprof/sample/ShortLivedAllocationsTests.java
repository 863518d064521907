package io.ddprof.sample;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The allocating request's shapes: sizes honoured, and the survivors bounded. */
class ShortLivedAllocationsTests {

	private final ShortLivedAllocations allocations = new ShortLivedAllocations();

	@Test
	void allocatesTheMegabytesAskedForInArraysOfAnySize() {
		assertThat(this.allocations.allocateGarbage(2)).isEqualTo(2L << 20);
		assertThat(this.allocations.allocateGarbage(2, 64, 0)).isEqualTo(2L << 20);
		assertThat(this.allocations.allocateGarbage(3, 1 << 20, 0)).isEqualTo(3L << 20);
		// An array larger than a megabyte: whole arrays, at least the megabytes asked
		// for.
		assertThat(this.allocations.allocateGarbage(1, 3 << 20, 0)).isEqualTo(3L << 20);
		assertThat(this.allocations.survivorBytes()).isZero();
	}

	@Test
	void keepsOneArrayInTheGivenNumberUpToTheBound() {
		this.allocations.allocateGarbage(1, 16 * 1024, 4);
		// 64 arrays of 16 KB, one in four kept.
		assertThat(this.allocations.survivorBytes()).isEqualTo(16 * 16 * 1024);
		this.allocations.allocateGarbage(1024, 16 * 1024, 2);
		assertThat(this.allocations.survivorBytes()).isEqualTo(ShortLivedAllocations.SURVIVOR_BYTES);
	}

}
