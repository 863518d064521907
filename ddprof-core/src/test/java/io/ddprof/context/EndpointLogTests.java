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
	void requestsOfTheSameEndpointShareItsNameUpToABoundedNumberOfNames() {
		EndpointLog log = new EndpointLog(EndpointLog.MAX_SHARED_NAMES + 10);
		// Built anew by each request, as a tracing bridge does from the request's keys.
		log.record(1, "servlet.request", new String("GET /a"));
		log.record(2, "servlet.request", new String("GET /a"));
		List<EndpointMark> marks = log.drainBefore(Instant.now().plusSeconds(1));
		assertThat(marks.get(1).endpoint()).isEqualTo("GET /a").isSameAs(marks.get(0).endpoint());
		for (int i = 0; i < EndpointLog.MAX_SHARED_NAMES; i++) {
			log.record(3, "servlet.request", "GET /route/" + i);
		}
		String unshared = new String("GET /one-too-many");
		log.record(4, "servlet.request", unshared);
		log.record(5, "servlet.request", new String("GET /one-too-many"));
		List<EndpointMark> later = log.drainBefore(Instant.now().plusSeconds(1));
		EndpointMark last = later.get(later.size() - 1);
		assertThat(last.endpoint()).isEqualTo("GET /one-too-many").isNotSameAs(unshared);
		assertThat(later.get(later.size() - 2).endpoint()).isSameAs(unshared);
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
