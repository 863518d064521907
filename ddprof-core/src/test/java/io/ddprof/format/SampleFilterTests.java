package io.ddprof.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import io.ddprof.format.RecordedWindows.ExpectedSpan;
import io.ddprof.format.RecordedWindows.Window;
import io.ddprof.profile.EventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Selecting samples from a real async-profiler window. What a filter should select is
 * worked out from what the test knows independently of the labels: which thread ran which
 * endpoint, and which span ids belong to which request.
 */
class SampleFilterTests {

	private final Window window = RecordedWindows.asyncProfiler();

	private final Samples samples = this.window.read();

	@Test
	void aTypeAloneSelectsEverySampleOfThatType() {
		assertThat(selected(SampleFilter.of(EventType.WALL)))
			.isEqualTo(where((i) -> this.samples.type(i) == EventType.WALL));
	}

	@Test
	void anEndpointSelectsTheSamplesTakenInSpansOfTheThreadServingIt() {
		for (int t = 0; t < RecordedWindows.ENDPOINTS.length; t++) {
			String thread = "worker-" + t;
			List<Integer> expected = where((i) -> this.samples.type(i) == EventType.CPU
					&& thread.equals(this.samples.threadName(i)) && this.samples.span(i) != null);
			assertThat(expected).isNotEmpty();
			assertThat(selected(SampleFilter.of(EventType.CPU).withEndpoint(RecordedWindows.ENDPOINTS[t])))
				.isEqualTo(expected);
		}
	}

	@Test
	void aTraceIdSelectsTheSamplesOfItsRootAndNestedSpans() {
		ExpectedSpan busiest = busiestNestedSpan();
		long root = busiest.localRootSpanId();
		List<Integer> expected = where((i) -> this.samples.type(i) == EventType.CPU && this.samples.span(i) != null
				&& (this.samples.span(i).spanId() == root || this.samples.span(i).spanId() == root + 1));
		assertThat(expected).isNotEmpty();
		assertThat(selected(SampleFilter.of(EventType.CPU).withTraceId(busiest.traceId()))).isEqualTo(expected);
		assertThat(selected(SampleFilter.of(EventType.CPU).withTraceId(busiest.traceId().toUpperCase())))
			.isEqualTo(expected);
	}

	@Test
	void aSpanIdSelectsOnlyTheSamplesWhoseInnermostSpanItIs() {
		ExpectedSpan busiest = busiestNestedSpan();
		long nested = busiest.localRootSpanId() + 1;
		List<Integer> selected = selected(new SampleFilter(EventType.CPU, null, null, nested));
		assertThat(selected).isNotEmpty().allSatisfy((i) -> {
			assertThat(this.samples.threadName(i)).isEqualTo(busiest.thread());
			assertThat(ProfileReaderTests.runs(this.samples, i, "burnInRootSpan")).isFalse();
			assertThat(ProfileReaderTests.runs(this.samples, i, "burnOutsideSpan")).isFalse();
		});
		List<Integer> ofRoot = selected(new SampleFilter(EventType.CPU, null, null, busiest.localRootSpanId()));
		assertThat(ofRoot).doesNotContainAnyElementsOf(selected);
	}

	@Test
	void criteriaCombine() {
		ExpectedSpan busiest = busiestNestedSpan();
		SampleFilter filter = SampleFilter.of(EventType.CPU).withTraceId(busiest.traceId());
		assertThat(selected(filter.withEndpoint(busiest.endpoint()))).isEqualTo(selected(filter)).isNotEmpty();
		assertThat(selected(filter.withEndpoint("GET /elsewhere"))).isEmpty();
	}

	@Test
	void aRecordMatchesLikeItsIndex() {
		SampleFilter filter = SampleFilter.of(EventType.CPU).withEndpoint(RecordedWindows.ENDPOINTS[0]);
		for (int i = 0; i < this.samples.size(); i++) {
			assertThat(filter.matches(this.samples.get(i))).isEqualTo(filter.matches(this.samples, i));
		}
	}

	@Test
	void theTypeIsRequired() {
		assertThatNullPointerException().isThrownBy(() -> new SampleFilter(null, null, null, null));
	}

	/**
	 * The nested span with the most CPU samples, so that span and trace filters select
	 * something.
	 */
	private ExpectedSpan busiestNestedSpan() {
		Map<Long, Integer> counts = new HashMap<>();
		for (int i = 0; i < this.samples.size(); i++) {
			SpanLabels span = this.samples.span(i);
			if (this.samples.type(i) == EventType.CPU && span != null && span.spanId() != span.localRootSpanId()) {
				counts.merge(span.spanId(), 1, Integer::sum);
			}
		}
		long spanId = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
		return this.window.spans().get(spanId);
	}

	private List<Integer> selected(SampleFilter filter) {
		return where((i) -> filter.matches(this.samples, i));
	}

	private List<Integer> where(IntPredicate condition) {
		List<Integer> indices = new ArrayList<>();
		for (int i = 0; i < this.samples.size(); i++) {
			if (condition.test(i)) {
				indices.add(i);
			}
		}
		return indices;
	}

}
