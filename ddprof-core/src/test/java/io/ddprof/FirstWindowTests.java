package io.ddprof;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first window's length: {@link Session#FIRST_WINDOW} unless the period is shorter.
 */
class FirstWindowTests {

	@Test
	void aLongPeriodStartsWithAShortFirstWindow() {
		assertThat(Session.firstWindow(Duration.ofSeconds(60))).isEqualTo(Session.FIRST_WINDOW);
		assertThat(Session.firstWindow(Duration.ofMinutes(10))).isEqualTo(Session.FIRST_WINDOW);
	}

	@Test
	void aPeriodShorterThanTheFirstWindowIsKept() {
		assertThat(Session.firstWindow(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
		assertThat(Session.firstWindow(Session.FIRST_WINDOW)).isEqualTo(Session.FIRST_WINDOW);
	}

}
