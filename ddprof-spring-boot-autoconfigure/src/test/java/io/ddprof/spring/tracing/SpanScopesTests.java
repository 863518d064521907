package io.ddprof.spring.tracing;

import java.util.List;

import io.ddprof.context.SpanTag;
import io.ddprof.problem.ProblemLog;
import io.ddprof.spring.tracing.RecordingSpanSink.Interval;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link SpanScopes} records for each sequence of scopes a tracer can produce on a
 * thread.
 */
class SpanScopesTests {

	private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final ScopedSpan ROOT = ScopedSpan.of(TRACE, 0xa3ce929d0e0e4736L, 11, 11);

	private static final ScopedSpan CHILD = ScopedSpan.of(TRACE, 0xa3ce929d0e0e4736L, 12, 11);

	private static final ScopedSpan GRANDCHILD = ScopedSpan.of(TRACE, 0xa3ce929d0e0e4736L, 13, 11);

	private final RecordingSpanSink sink = new RecordingSpanSink();

	private final ProblemLog problems = new ProblemLog();

	private final SpanScopes scopes = new SpanScopes(this.sink, this.problems);

	@Test
	void nestedScopesRecordOneIntervalPerSpanTheInnerInsideTheOuter() {
		this.scopes.open(ROOT);
		this.scopes.open(CHILD);
		this.scopes.close(CHILD);
		this.scopes.close(ROOT);
		Interval root = only(this.sink.intervals(11));
		Interval child = only(this.sink.intervals(12));
		assertThat(root.contains(child)).isTrue();
		assertThat(root.tag()).isEqualTo(new SpanTag(TRACE, 11, 11));
		assertThat(child.tag()).isEqualTo(new SpanTag(TRACE, 12, 11));
	}

	@Test
	void aScopeForTheSpanAlreadyOnTopIsRecordedOnce() {
		this.scopes.open(ROOT);
		this.scopes.open(ROOT);
		this.scopes.close(ROOT);
		assertThat(this.sink.intervals()).isEmpty();
		this.scopes.close(ROOT);
		assertThat(this.sink.intervals()).hasSize(1);
	}

	@Test
	void aScopeWithoutASpanHidesTheSpansBeneathUntilItCloses() {
		this.scopes.open(ROOT);
		this.scopes.open(CHILD);
		assertThat(this.scopes.open(null)).isTrue();
		assertThat(this.sink.intervals()).hasSize(2);
		long hiddenAt = this.sink.begin();
		this.scopes.close(null);
		this.scopes.close(CHILD);
		this.scopes.close(ROOT);
		List<Interval> root = this.sink.intervals(11);
		List<Interval> child = this.sink.intervals(12);
		assertThat(root).hasSize(2);
		assertThat(child).hasSize(2);
		assertThat(root.get(0).end()).isLessThan(hiddenAt);
		assertThat(root.get(1).start()).isGreaterThan(hiddenAt);
		assertThat(child)
			.allSatisfy((interval) -> assertThat(interval.end() < hiddenAt || interval.start() > hiddenAt).isTrue());
	}

	@Test
	void intervalsBeginAndEndInNestedOrderWhateverTheScopesDo() {
		this.scopes.open(ROOT);
		this.scopes.open(CHILD);
		this.scopes.open(null);
		this.scopes.open(GRANDCHILD);
		this.scopes.close(GRANDCHILD);
		this.scopes.close(null);
		this.scopes.open(GRANDCHILD);
		this.scopes.close(CHILD);
		this.scopes.restored(ROOT);
		this.scopes.close(ROOT);
		this.scopes.open(ROOT);
		this.scopes.open(CHILD);
		this.scopes.reset();
		assertThat(this.sink.unnested()).isEmpty();
		assertThat(this.scopes.innermost()).isNull();
	}

	@Test
	void aScopeWithoutASpanOnAThreadWithoutScopesIsNotRecorded() {
		assertThat(this.scopes.open(null)).isFalse();
		this.scopes.open(ROOT);
		this.scopes.close(null);
		this.scopes.close(ROOT);
		assertThat(this.sink.intervals()).hasSize(1);
		assertThat(this.scopes.innermost()).isNull();
	}

	@Test
	void aScopeClosedOutOfOrderEndsItsOwnIntervalAndTheOthersGoOn() {
		this.scopes.open(ROOT);
		this.scopes.open(CHILD);
		this.scopes.open(GRANDCHILD);
		this.scopes.close(CHILD);
		assertThat(this.sink.intervals(12)).hasSize(1);
		assertThat(this.scopes.innermost()).isEqualTo(GRANDCHILD);
		this.scopes.close(GRANDCHILD);
		assertThat(this.scopes.innermost()).isEqualTo(ROOT);
		this.scopes.close(ROOT);
		assertThat(this.scopes.innermost()).isNull();
		assertThat(this.sink.intervals(11)).isNotEmpty();
		assertThat(this.sink.intervals(13)).isNotEmpty();
	}

	@Test
	void closingAScopeNeverOpenedIsIgnored() {
		this.scopes.open(ROOT);
		this.scopes.close(CHILD);
		this.scopes.closeInnermost();
		this.scopes.closeInnermost();
		assertThat(this.sink.intervals()).hasSize(1);
	}

	@Test
	void aResetEndsEveryIntervalOfTheThread() {
		this.scopes.open(ROOT);
		this.scopes.open(CHILD);
		this.scopes.reset();
		assertThat(this.sink.intervals()).hasSize(2);
		assertThat(this.scopes.innermost()).isNull();
		this.scopes.close(CHILD);
		this.scopes.close(ROOT);
		assertThat(this.sink.intervals()).hasSize(2);
	}

	@Test
	void restoringASpanBeneathTheTopClosesTheScopesAboveIt() {
		this.scopes.open(ROOT);
		this.scopes.open(CHILD);
		this.scopes.open(GRANDCHILD);
		this.scopes.restored(ROOT);
		assertThat(this.scopes.innermost()).isEqualTo(ROOT);
		assertThat(this.sink.intervals(12)).hasSize(1);
		assertThat(this.sink.intervals(13)).hasSize(1);
	}

	@Test
	void restoringTheSpanOnTopChangesNothing() {
		this.scopes.open(ROOT);
		this.scopes.open(CHILD);
		this.scopes.closeInnermost();
		this.scopes.restored(ROOT);
		assertThat(this.sink.intervals()).hasSize(1);
		assertThat(this.scopes.innermost()).isEqualTo(ROOT);
	}

	@Test
	void restoringASpanNotOnTheStackStartsTheThreadOverFromIt() {
		this.scopes.open(CHILD);
		this.scopes.restored(ROOT);
		assertThat(this.sink.intervals(12)).hasSize(1);
		assertThat(this.scopes.innermost()).isEqualTo(ROOT);
		this.scopes.closeInnermost();
		this.scopes.restored(null);
		assertThat(this.sink.intervals(11)).hasSize(1);
		assertThat(this.scopes.innermost()).isNull();
	}

	@Test
	void aThreadIsEligibleForWallSamplingWhileASpanIsVisibleOnIt() {
		Thread thread = Thread.currentThread();
		this.scopes.open(ROOT);
		this.scopes.open(CHILD);
		assertThat(this.sink.entered(thread)).isOne();
		this.scopes.open(null);
		assertThat(this.sink.left(thread)).isOne();
		this.scopes.close(null);
		assertThat(this.sink.entered(thread)).isEqualTo(2);
		this.scopes.close(CHILD);
		assertThat(this.sink.left(thread)).isOne();
		this.scopes.close(ROOT);
		assertThat(this.sink.left(thread)).isEqualTo(2);
	}

	@Test
	void scopesNeverClosedAreReportedAndTheThreadStartsOver() {
		for (int i = 0; i < SpanScopes.MAX_DEPTH; i++) {
			this.scopes.open((i % 2 == 0) ? ROOT : CHILD);
		}
		assertThat(this.problems.recent()).isEmpty();
		this.scopes.open(GRANDCHILD);
		assertThat(this.problems.recent()).singleElement()
			.satisfies((problem) -> assertThat(problem.kind()).isEqualTo("tracing.scopes"));
		assertThat(this.sink.intervals()).hasSize(SpanScopes.MAX_DEPTH);
		assertThat(this.scopes.innermost()).isEqualTo(GRANDCHILD);
		this.scopes.close(GRANDCHILD);
		assertThat(this.scopes.innermost()).isNull();
	}

	@Test
	void eachThreadKeepsItsOwnScopes() throws InterruptedException {
		this.scopes.open(ROOT);
		Thread other = new Thread(() -> {
			this.scopes.open(CHILD);
			this.scopes.close(CHILD);
		});
		other.start();
		other.join();
		this.scopes.close(ROOT);
		assertThat(only(this.sink.intervals(12)).threadId()).isEqualTo(other.getId());
		assertThat(only(this.sink.intervals(11)).threadId()).isEqualTo(Thread.currentThread().getId());
	}

	@Test
	void anEndpointIsMarkedForItsLocalRoot() {
		this.scopes.endpoint(11, "servlet.request", "GET /orders/{id}");
		assertThat(this.sink.marks()).containsExactly(SpanTag.endpoint(11, "servlet.request", "GET /orders/{id}"));
	}

	private static Interval only(List<Interval> intervals) {
		assertThat(intervals).hasSize(1);
		return intervals.get(0);
	}

}
