package io.ddprof.spring.tracing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.ddprof.context.SpanSink;
import io.ddprof.context.SpanTag;

/**
 * A span sink that keeps what it is told, on a clock of its own that ticks once per call,
 * so that tests can say exactly which intervals were recorded and in which order.
 */
final class RecordingSpanSink implements SpanSink {

	private final AtomicLong clock = new AtomicLong();

	private final List<Interval> intervals = new CopyOnWriteArrayList<>();

	private final List<String> marks = new CopyOnWriteArrayList<>();

	private final Map<Long, Long> entered = new ConcurrentHashMap<>();

	private final Map<Long, Long> left = new ConcurrentHashMap<>();

	private final ThreadLocal<Deque<Long>> open = ThreadLocal.withInitial(ArrayDeque::new);

	private final List<String> unnested = new CopyOnWriteArrayList<>();

	@Override
	public long begin() {
		long ticks = this.clock.incrementAndGet();
		this.open.get().push(ticks);
		return ticks;
	}

	@Override
	public void end(long startTicks, String tag) {
		Deque<Long> open = this.open.get();
		if (open.isEmpty() || open.pop() != startTicks) {
			this.unnested.add("interval begun at " + startTicks + " ended while another was open: " + tag);
		}
		this.intervals.add(new Interval(Thread.currentThread().getId(), startTicks, this.clock.incrementAndGet(),
				SpanTag.parse(tag)));
	}

	@Override
	public void mark(String tag) {
		this.marks.add(tag);
	}

	@Override
	public void threadEntered() {
		this.entered.merge(Thread.currentThread().getId(), 1L, Long::sum);
	}

	@Override
	public void threadLeft() {
		this.left.merge(Thread.currentThread().getId(), 1L, Long::sum);
	}

	/** Every interval recorded, in the order they ended. */
	List<Interval> intervals() {
		return this.intervals;
	}

	/** The intervals recorded for the span with the given id. */
	List<Interval> intervals(long spanId) {
		List<Interval> matching = new ArrayList<>();
		for (Interval interval : this.intervals) {
			if (interval.tag().spanId() == spanId) {
				matching.add(interval);
			}
		}
		return matching;
	}

	/**
	 * Intervals that did not end in nested order (the last begun first) on their thread,
	 * which the JFR engine's sink cannot record.
	 */
	List<String> unnested() {
		return this.unnested;
	}

	/** Every mark (endpoint) recorded. */
	List<String> marks() {
		return this.marks;
	}

	/** How often {@code thread} was made eligible for wall-clock sampling. */
	long entered(Thread thread) {
		return this.entered.getOrDefault(thread.getId(), 0L);
	}

	/** How often {@code thread} was made ineligible for wall-clock sampling. */
	long left(Thread thread) {
		return this.left.getOrDefault(thread.getId(), 0L);
	}

	/**
	 * One recorded interval: its thread, its ticks on this sink's clock, its parsed tag.
	 */
	record Interval(long threadId, long start, long end, SpanTag tag) {

		boolean contains(Interval other) {
			return this.start < other.start && other.end < this.end;
		}

	}

}
