package io.ddprof.format;

import java.util.Arrays;

/**
 * Answers "which span was in scope on this thread at this time" for the span intervals of
 * a set of windows: the innermost one, that is the one that started last among those
 * covering the time (for equal starts, the one that ends first; for identical intervals,
 * the one written first, since spans are written as they end). Built in O(m log m) for m
 * intervals; a lookup is a binary search, so joining n samples costs O(n log m) and needs
 * no sorting of the samples.
 * <p>
 * Per thread, the timeline is cut into segments at every interval start and just after
 * every interval end; within a segment the set of covering intervals, and so the answer,
 * is constant.
 */
final class SpanTimeline {

	private static final long[] NO_POINTS = {};

	private static final int[] NO_SPANS = {};

	/**
	 * Per thread, the index of its first segment in {@link #points}; one entry more than
	 * threads.
	 */
	private final int[] threadStart;

	/** Where each segment starts, ascending within a thread. */
	private final long[] points;

	/** The interval in scope from the segment's start until the next segment, or -1. */
	private final int[] spans;

	private SpanTimeline(int[] threadStart, long[] points, int[] spans) {
		this.threadStart = threadStart;
		this.points = points;
		this.spans = spans;
	}

	/**
	 * Builds the timeline of {@code count} intervals given by column: thread index (below
	 * {@code threadCount}), start and inclusive end.
	 */
	static SpanTimeline build(int threadCount, int count, int[] thread, long[] start, long[] end) {
		int[] order = new int[count];
		for (int i = 0; i < count; i++) {
			order[i] = i;
		}
		sort(order, new int[count], 0, count, thread, start, end);
		int[] threadStart = new int[threadCount + 1];
		long[] points = (count > 0) ? new long[2 * count] : NO_POINTS;
		int[] spans = (count > 0) ? new int[2 * count] : NO_SPANS;
		int[] open = new int[count];
		long[] ends = new long[count];
		int segments = 0;
		int from = 0;
		for (int t = 0; t < threadCount; t++) {
			threadStart[t] = segments;
			int to = from;
			while (to < count && thread[order[to]] == t) {
				to++;
			}
			segments = sweep(order, from, to, start, end, ends, open, points, spans, segments);
			from = to;
		}
		threadStart[threadCount] = segments;
		return new SpanTimeline(threadStart, points, spans);
	}

	/**
	 * Appends the segments of one thread's intervals {@code order[from, to)}, sorted by
	 * start.
	 */
	private static int sweep(int[] order, int from, int to, long[] start, long[] end, long[] ends, int[] open,
			long[] points, int[] spans, int segments) {
		int n = to - from;
		for (int i = 0; i < n; i++) {
			ends[i] = end[order[from + i]];
		}
		Arrays.sort(ends, 0, n);
		int first = segments;
		int nextStart = from;
		int nextEnd = 0;
		int depth = 0;
		while (nextStart < to || nextEnd < n) {
			long point;
			if (nextEnd >= n || (nextStart < to && start[order[nextStart]] <= ends[nextEnd] + 1)) {
				point = start[order[nextStart]];
			}
			else {
				point = ends[nextEnd] + 1;
			}
			// Intervals are pushed in start order, so the top of the stack is the latest
			// start among
			// those not yet closed; one that closed below the top is dropped when it
			// surfaces.
			while (nextStart < to && start[order[nextStart]] <= point) {
				open[depth++] = order[nextStart++];
			}
			while (nextEnd < n && ends[nextEnd] + 1 <= point) {
				nextEnd++;
			}
			while (depth > 0 && end[open[depth - 1]] < point) {
				depth--;
			}
			int span = (depth > 0) ? open[depth - 1] : -1;
			if (segments == first || spans[segments - 1] != span) {
				points[segments] = point;
				spans[segments] = span;
				segments++;
			}
		}
		return segments;
	}

	/** The interval in scope on {@code thread} at {@code time}, or -1. */
	int find(int thread, long time) {
		if (thread < 0 || thread + 1 >= this.threadStart.length) {
			return -1;
		}
		int low = this.threadStart[thread];
		int high = this.threadStart[thread + 1] - 1;
		int found = -1;
		while (low <= high) {
			int mid = (low + high) >>> 1;
			if (this.points[mid] <= time) {
				found = mid;
				low = mid + 1;
			}
			else {
				high = mid - 1;
			}
		}
		return (found >= 0) ? this.spans[found] : -1;
	}

	/**
	 * Merge sort of interval indices by thread, then start, then latest end first: O(m
	 * log m).
	 */
	private static void sort(int[] a, int[] tmp, int from, int to, int[] thread, long[] start, long[] end) {
		if (to - from < 2) {
			return;
		}
		int mid = (from + to) >>> 1;
		sort(a, tmp, from, mid, thread, start, end);
		sort(a, tmp, mid, to, thread, start, end);
		if (compare(a[mid - 1], a[mid], thread, start, end) <= 0) {
			return;
		}
		System.arraycopy(a, from, tmp, from, to - from);
		int left = from;
		int right = mid;
		for (int i = from; i < to; i++) {
			if (right >= to || (left < mid && compare(tmp[left], tmp[right], thread, start, end) <= 0)) {
				a[i] = tmp[left++];
			}
			else {
				a[i] = tmp[right++];
			}
		}
	}

	private static int compare(int x, int y, int[] thread, long[] start, long[] end) {
		if (thread[x] != thread[y]) {
			return Integer.compare(thread[x], thread[y]);
		}
		if (start[x] != start[y]) {
			return Long.compare(start[x], start[y]);
		}
		// For equal starts, the longer interval is the outer one: push it first. Of
		// identical
		// intervals, the one written first ended first, so it is the inner one: push it
		// last.
		if (end[x] != end[y]) {
			return Long.compare(end[y], end[x]);
		}
		return Integer.compare(y, x);
	}

}
