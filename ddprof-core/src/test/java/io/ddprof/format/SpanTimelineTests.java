package io.ddprof.format;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The join of a sample to the innermost span in scope on its thread. */
class SpanTimelineTests {

	@Test
	void timesOutsideEverySpanFindNone() {
		SpanTimeline timeline = timeline(1, new int[] { 0 }, new long[] { 100 }, new long[] { 200 });
		assertThat(timeline.find(0, 99)).isEqualTo(-1);
		assertThat(timeline.find(0, 201)).isEqualTo(-1);
	}

	@Test
	void bothEndsOfASpanAreInsideIt() {
		SpanTimeline timeline = timeline(1, new int[] { 0 }, new long[] { 100 }, new long[] { 200 });
		assertThat(timeline.find(0, 100)).isEqualTo(0);
		assertThat(timeline.find(0, 150)).isEqualTo(0);
		assertThat(timeline.find(0, 200)).isEqualTo(0);
	}

	@Test
	void theInnermostNestedSpanWinsAndTheOuterResumesAfterIt() {
		// Written in the order spans end: the nested one first.
		SpanTimeline timeline = timeline(1, new int[] { 0, 0 }, new long[] { 120, 100 }, new long[] { 150, 200 });
		assertThat(timeline.find(0, 110)).isEqualTo(1);
		assertThat(timeline.find(0, 120)).isEqualTo(0);
		assertThat(timeline.find(0, 150)).isEqualTo(0);
		assertThat(timeline.find(0, 151)).isEqualTo(1);
	}

	@Test
	void ofSpansStartingTogetherTheShorterIsInnermost() {
		SpanTimeline timeline = timeline(1, new int[] { 0, 0 }, new long[] { 100, 100 }, new long[] { 200, 150 });
		assertThat(timeline.find(0, 100)).isEqualTo(1);
		assertThat(timeline.find(0, 160)).isEqualTo(0);
	}

	@Test
	void ofOverlappingSpansTheOneThatStartedLastWins() {
		SpanTimeline timeline = timeline(1, new int[] { 0, 0 }, new long[] { 100, 150 }, new long[] { 200, 250 });
		assertThat(timeline.find(0, 140)).isEqualTo(0);
		assertThat(timeline.find(0, 180)).isEqualTo(1);
		assertThat(timeline.find(0, 220)).isEqualTo(1);
	}

	@Test
	void spansOfOtherThreadsAreNeverFound() {
		SpanTimeline timeline = timeline(3, new int[] { 0, 2 }, new long[] { 100, 100 }, new long[] { 200, 200 });
		assertThat(timeline.find(0, 150)).isEqualTo(0);
		assertThat(timeline.find(1, 150)).isEqualTo(-1);
		assertThat(timeline.find(2, 150)).isEqualTo(1);
		assertThat(timeline.find(3, 150)).isEqualTo(-1);
	}

	@Test
	void noSpansFindNone() {
		SpanTimeline timeline = timeline(2, new int[0], new long[0], new long[0]);
		assertThat(timeline.find(0, 150)).isEqualTo(-1);
	}

	@Test
	void agreesWithABruteForceSearchOnRandomSpans() {
		Random random = new Random(42);
		for (int round = 0; round < 50; round++) {
			int threads = 1 + random.nextInt(4);
			int count = random.nextInt(200);
			int[] thread = new int[count];
			long[] start = new long[count];
			long[] end = new long[count];
			for (int i = 0; i < count; i++) {
				thread[i] = random.nextInt(threads);
				start[i] = random.nextInt(1000);
				end[i] = start[i] + random.nextInt(100);
			}
			SpanTimeline timeline = SpanTimeline.build(threads, count, thread, start, end);
			for (int t = 0; t < threads; t++) {
				for (long time = -1; time < 1120; time++) {
					assertThat(timeline.find(t, time)).as("thread %d at %d", t, time)
						.isEqualTo(bruteForce(t, time, thread, start, end));
				}
			}
		}
	}

	/**
	 * The innermost span by definition: latest start, then earliest end, then written
	 * first.
	 */
	private static int bruteForce(int t, long time, int[] thread, long[] start, long[] end) {
		int found = -1;
		for (int i = 0; i < thread.length; i++) {
			if (thread[i] == t && start[i] <= time && time <= end[i]) {
				if (found < 0 || start[i] > start[found] || (start[i] == start[found] && end[i] < end[found])) {
					found = i;
				}
			}
		}
		return found;
	}

	private static SpanTimeline timeline(int threads, int[] thread, long[] start, long[] end) {
		return SpanTimeline.build(threads, thread.length, thread, start, end);
	}

}
