package io.ddprof.context;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The requests' endpoints wait for their window, bounded. */
class EndpointLogTests {

	@Test
	void aWindowTakesTheRequestsThatEndedBeforeItsEndAndLeavesTheLaterOnes() throws InterruptedException {
		EndpointLog log = new EndpointLog(10);
		log.record(1, "servlet.request", "GET /a");
		Thread.sleep(5);
		Instant cut = Instant.now();
		Thread.sleep(5);
		log.record(2, "netty.request", "GET /b");

		List<EndpointMark> first = log.drainBefore(cut);
		assertThat(first).singleElement().satisfies((mark) -> {
			assertThat(mark.localRootSpanId()).isEqualTo(1);
			assertThat(mark.endpoint()).isEqualTo("GET /a");
			assertThat(mark.operation()).isEqualTo("servlet.request");
			assertThat(mark.threadId()).isEqualTo(Thread.currentThread().getId());
			assertThat(mark.threadName()).isEqualTo(Thread.currentThread().getName());
		});
		assertThat(log.drainBefore(cut)).isEmpty();
		assertThat(log.drainBefore(Instant.now().plusSeconds(1))).extracting(EndpointMark::localRootSpanId)
			.containsExactly(2L);
	}

	@Test
	void beyondItsCapacityTheNewestAreCountedAsDropped() {
		EndpointLog log = new EndpointLog(2);
		for (long id = 1; id <= 5; id++) {
			log.record(id, "servlet.request", "GET /a");
		}
		assertThat(log.dropped()).isEqualTo(3);
		assertThat(log.drainBefore(Instant.now().plusSeconds(1))).extracting(EndpointMark::localRootSpanId)
			.containsExactly(1L, 2L);
		log.record(6, "servlet.request", "GET /a");
		assertThat(log.drainBefore(Instant.now().plusSeconds(1))).hasSize(1);
	}

}
