package io.ddprof.export.upload;

import java.time.Duration;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RetryPolicy}. */
class RetryPolicyTests {

	private final RetryPolicy policy = RetryPolicy.forPeriod(Duration.ofSeconds(60));

	@Test
	void startsAtOneSecondDoublesAndStopsAtThirtySecondsJitteredDownToHalf() {
		assertBetween(1, Duration.ofMillis(500), Duration.ofSeconds(1));
		assertBetween(2, Duration.ofSeconds(1), Duration.ofSeconds(2));
		assertBetween(3, Duration.ofSeconds(2), Duration.ofSeconds(4));
		assertBetween(5, Duration.ofSeconds(8), Duration.ofSeconds(16));
		assertBetween(6, Duration.ofSeconds(15), Duration.ofSeconds(30));
		assertBetween(1000, Duration.ofSeconds(15), Duration.ofSeconds(30));
	}

	@Test
	void spreadsRetriesOfManyProcessesOverTheJitterRange() {
		Random random = new Random(7);
		long distinct = LongStream.range(0, 100).map((i) -> this.policy.backoffNanos(3, random)).distinct().count();
		assertThat(distinct).isGreaterThan(90);
	}

	@Test
	void keepsAWindowForThreeUploadPeriods() {
		assertThat(this.policy.maxAge()).isEqualTo(Duration.ofMinutes(3));
	}

	private void assertBetween(int retry, Duration low, Duration high) {
		Random random = new Random(retry);
		for (int i = 0; i < 1000; i++) {
			assertThat(this.policy.backoffNanos(retry, random)).as("retry %d", retry)
				.isBetween(low.toNanos(), high.toNanos());
		}
	}

}
