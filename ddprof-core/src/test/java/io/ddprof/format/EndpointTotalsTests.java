package io.ddprof.format;

import java.util.List;

import io.ddprof.profile.EventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-endpoint totals of a real async-profiler window, in which each worker thread serves
 * one endpoint.
 */
class EndpointTotalsTests {

	private final Samples samples = RecordedWindows.asyncProfiler().read();

	@Test
	void everyEndpointHasTheCpuOfTheSpansOfItsThread() {
		List<EndpointTotals> totals = EndpointTotals.of(this.samples);
		assertThat(totals).extracting(EndpointTotals::endpoint).containsExactlyInAnyOrder(RecordedWindows.ENDPOINTS);
		for (EndpointTotals endpoint : totals) {
			String thread = "worker-" + List.of(RecordedWindows.ENDPOINTS).indexOf(endpoint.endpoint());
			long cpuSamples = 0;
			long wallSamples = 0;
			for (int i = 0; i < this.samples.size(); i++) {
				if (thread.equals(this.samples.threadName(i)) && this.samples.span(i) != null) {
					cpuSamples += (this.samples.type(i) == EventType.CPU) ? this.samples.count(i) : 0;
					wallSamples += (this.samples.type(i) == EventType.WALL) ? this.samples.count(i) : 0;
				}
			}
			assertThat(endpoint.cpuSamples()).isEqualTo(cpuSamples).isPositive();
			assertThat(endpoint.cpuNanos()).isEqualTo(cpuSamples * RecordedWindows.CPU_INTERVAL_NANOS);
			assertThat(endpoint.samples()).containsEntry(EventType.CPU, cpuSamples)
				.containsEntry(EventType.WALL, wallSamples)
				.containsKey(EventType.ALLOC);
		}
	}

	@Test
	void theEndpointWithTheMostCpuComesFirst() {
		List<EndpointTotals> totals = EndpointTotals.of(this.samples);
		assertThat(totals).extracting(EndpointTotals::cpuNanos).isSortedAccordingTo((a, b) -> Long.compare(b, a));
	}

}
