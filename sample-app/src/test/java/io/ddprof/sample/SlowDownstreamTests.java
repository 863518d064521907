package io.ddprof.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The in-process slow downstream service answers every caller over a real loopback
 * socket.
 */
class SlowDownstreamTests {

	@Test
	void answersConcurrentCallersOverTheLoopbackSocket() throws Exception {
		ExecutorService callers = Executors.newFixedThreadPool(4);
		try (SlowDownstream downstream = new SlowDownstream()) {
			List<Future<Integer>> answers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				answers.add(callers.submit(() -> downstream.callSlowDownstream(Duration.ofMillis(20))));
			}
			for (Future<Integer> answer : answers) {
				assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(42);
			}
		}
		finally {
			callers.shutdownNow();
		}
	}

	@Test
	void callsFailOnceClosed() throws IOException {
		SlowDownstream downstream = new SlowDownstream();
		downstream.close();
		assertThatIOException().isThrownBy(() -> downstream.callSlowDownstream(Duration.ofMillis(1)));
	}

}
