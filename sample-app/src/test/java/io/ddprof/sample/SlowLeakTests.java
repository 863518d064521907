package io.ddprof.sample;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The leak grows with every call but never past its cap. */
class SlowLeakTests {

	@Test
	void retainsMoreOnEveryCallUntilTheCapThenStartsOver() {
		SlowLeak leak = new SlowLeak(1024, 10 * 1024);
		List<Long> retained = new ArrayList<>();
		for (int call = 0; call < 25; call++) {
			retained.add(leak.leakALittle());
		}
		assertThat(retained).allMatch((bytes) -> bytes > 0 && bytes <= 10 * 1024);
		// Starting from whatever an earlier caller left, it climbs by 1 KB a call, drops
		// back to 1 KB
		// when the next call would pass the cap, and climbs again.
		assertThat(retained).contains(10L * 1024).containsSubsequence(10L * 1024, 1024L, 2048L);
		assertThat(leak.retainedBytes()).isEqualTo(retained.get(retained.size() - 1));
	}

}
