package io.ddprof.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ddprof.context.EndpointMark;
import io.ddprof.context.SpanTag;
import io.ddprof.profile.EventType;
import org.jspecify.annotations.Nullable;

/**
 * Gathers what the file readers find, storing each frame, stack, thread and span tag
 * once, and joins samples to spans when {@link #build()} is called (every file read by
 * then, so that a span or an endpoint written in a later window still applies to the
 * samples of an earlier one).
 */
final class SampleCollector {

	private static final int INITIAL_CAPACITY = 1024;

	private int size;

	private byte[] types = new byte[INITIAL_CAPACITY];

	private int[] stacks = new int[INITIAL_CAPACITY];

	private int[] threads = new int[INITIAL_CAPACITY];

	private long[] times = new long[INITIAL_CAPACITY];

	private long[] values = new long[INITIAL_CAPACITY];

	private long[] counts = new long[INITIAL_CAPACITY];

	private long[] sizes = new long[INITIAL_CAPACITY];

	private byte[] states = new byte[INITIAL_CAPACITY];

	private final List<StackFrame> frames = new ArrayList<>();

	private final Map<StackFrame, Integer> frameIndex = new HashMap<>();

	private final List<int[]> stackFrames = new ArrayList<>();

	private final Map<StackKey, Integer> stackIndex = new HashMap<>();

	private final Map<Long, Integer> threadIndex = new HashMap<>();

	private long[] threadIds = new long[64];

	private String[] threadNames = new String[64];

	private int spanCount;

	private int[] spanThreads = new int[INITIAL_CAPACITY];

	private long[] spanStarts = new long[INITIAL_CAPACITY];

	private long[] spanEnds = new long[INITIAL_CAPACITY];

	private String[] spanTags = new String[INITIAL_CAPACITY];

	private final Map<Long, String> endpoints = new HashMap<>();

	private final List<SpanTag> marks = new ArrayList<>();

	private final List<long[]> markWhereWhen = new ArrayList<>();

	private final long[] periods = new long[EventType.values().length];

	private long startNanos = Long.MAX_VALUE;

	private long endNanos = Long.MIN_VALUE;

	/** The number of samples added so far. */
	int size() {
		return this.size;
	}

	/** The index of a frame, added if new. */
	int frame(StackFrame frame) {
		Integer index = this.frameIndex.get(frame);
		if (index == null) {
			index = this.frames.size();
			this.frames.add(frame);
			this.frameIndex.put(frame, index);
		}
		return index;
	}

	/**
	 * The index of a stack of frame indices (leaf first), added if new; the array is
	 * kept.
	 */
	int stack(int[] frameIds) {
		StackKey key = new StackKey(frameIds);
		Integer index = this.stackIndex.get(key);
		if (index == null) {
			index = this.stackFrames.size();
			this.stackFrames.add(frameIds);
			this.stackIndex.put(key, index);
		}
		return index;
	}

	/**
	 * The index of a thread. Threads are told apart by Java thread id, which stays the
	 * same across files and engines; threads outside Java by OS thread id.
	 */
	int thread(long javaThreadId, long osThreadId, @Nullable String name) {
		boolean java = javaThreadId > 0;
		long key = java ? javaThreadId : (osThreadId | Long.MIN_VALUE);
		Integer index = this.threadIndex.get(key);
		if (index == null) {
			index = this.threadIndex.size();
			if (index == this.threadIds.length) {
				this.threadIds = Arrays.copyOf(this.threadIds, index * 2);
				this.threadNames = Arrays.copyOf(this.threadNames, index * 2);
			}
			this.threadIds[index] = java ? javaThreadId : osThreadId;
			this.threadIndex.put(key, index);
		}
		if (name != null) {
			this.threadNames[index] = name;
		}
		return index;
	}

	/**
	 * Adds a sample; {@code value} is in nanoseconds or bytes, see
	 * {@link Samples#value(int)}.
	 */
	void sample(EventType type, int stack, int thread, long timeNanos, long value, long count) {
		sample(type, stack, thread, timeNanos, value, count, 0, ThreadState.UNKNOWN);
	}

	/**
	 * Adds a sample with the size of the sampled object (allocation and live heap; 0 when
	 * the recording does not say) and the state of its thread.
	 */
	void sample(EventType type, int stack, int thread, long timeNanos, long value, long count, long objectSize,
			ThreadState state) {
		if (this.size == this.types.length) {
			int capacity = this.size * 2;
			this.types = Arrays.copyOf(this.types, capacity);
			this.stacks = Arrays.copyOf(this.stacks, capacity);
			this.threads = Arrays.copyOf(this.threads, capacity);
			this.times = Arrays.copyOf(this.times, capacity);
			this.values = Arrays.copyOf(this.values, capacity);
			this.counts = Arrays.copyOf(this.counts, capacity);
			this.sizes = Arrays.copyOf(this.sizes, capacity);
			this.states = Arrays.copyOf(this.states, capacity);
		}
		int i = this.size++;
		this.types[i] = (byte) type.ordinal();
		this.stacks[i] = stack;
		this.threads[i] = thread;
		this.times[i] = timeNanos;
		this.values[i] = value;
		this.counts[i] = count;
		this.sizes[i] = objectSize;
		this.states[i] = (byte) state.ordinal();
	}

	/**
	 * Multiplies the values of the samples of {@code type} added since {@code fromIndex}
	 * by {@code factor}: a file's sampling period is known only once its settings have
	 * been read. A factor of 0 (period unknown) leaves the values as they are.
	 */
	void scale(int fromIndex, EventType type, long factor) {
		if (factor <= 0) {
			return;
		}
		byte ordinal = (byte) type.ordinal();
		for (int i = fromIndex; i < this.size; i++) {
			if (this.types[i] == ordinal) {
				this.values[i] *= factor;
			}
		}
	}

	/**
	 * Adds a span event: a scope interval of a span on a thread, or an endpoint record. A
	 * scope's tag is parsed only if a sample falls in it: most spans hold no sample.
	 */
	void span(int thread, long startNanos, long endNanos, @Nullable String tag) {
		if (tag == null || tag.length() < 2 || tag.charAt(1) != ' ') {
			return;
		}
		if (tag.charAt(0) == 'e') {
			SpanTag endpoint = SpanTag.parse(tag);
			if (endpoint != null) {
				this.endpoints.put(endpoint.localRootSpanId(), endpoint.endpoint());
				this.marks.add(endpoint);
				this.markWhereWhen.add(new long[] { thread, startNanos });
			}
			return;
		}
		if (tag.charAt(0) != 's') {
			return;
		}
		if (this.spanCount == this.spanThreads.length) {
			int capacity = this.spanCount * 2;
			this.spanThreads = Arrays.copyOf(this.spanThreads, capacity);
			this.spanStarts = Arrays.copyOf(this.spanStarts, capacity);
			this.spanEnds = Arrays.copyOf(this.spanEnds, capacity);
			this.spanTags = Arrays.copyOf(this.spanTags, capacity);
		}
		int i = this.spanCount++;
		this.spanThreads[i] = thread;
		this.spanStarts[i] = startNanos;
		this.spanEnds[i] = endNanos;
		this.spanTags[i] = tag;
	}

	/** Records the sampling period of a type (see {@link Samples#period(EventType)}). */
	void period(EventType type, long period) {
		if (period > 0) {
			this.periods[type.ordinal()] = period;
		}
	}

	/** Widens the time covered to include {@code [startNanos, endNanos]}. */
	void cover(long startNanos, long endNanos) {
		this.startNanos = Math.min(this.startNanos, startNanos);
		this.endNanos = Math.max(this.endNanos, endNanos);
	}

	/**
	 * Joins every sample to the innermost span in scope on its thread and returns the
	 * result.
	 */
	Samples build() {
		int threadCount = this.threadIndex.size();
		SpanTimeline timeline = SpanTimeline.build(threadCount, this.spanCount, this.spanThreads, this.spanStarts,
				this.spanEnds);
		Map<String, Integer> labelIndex = new HashMap<>();
		List<SpanLabels> labels = new ArrayList<>();
		int[] spans = new int[this.size];
		for (int i = 0; i < this.size; i++) {
			int interval = timeline.find(this.threads[i], this.times[i]);
			spans[i] = (interval >= 0) ? label(this.spanTags[interval], labelIndex, labels) : -1;
		}
		long start = (this.startNanos != Long.MAX_VALUE) ? this.startNanos : 0;
		long end = (this.endNanos != Long.MIN_VALUE) ? this.endNanos : start;
		List<EndpointMark> endpointMarks = new ArrayList<>(this.marks.size());
		for (int i = 0; i < this.marks.size(); i++) {
			SpanTag mark = this.marks.get(i);
			int thread = (int) this.markWhereWhen.get(i)[0];
			endpointMarks.add(new EndpointMark(mark.localRootSpanId(), mark.endpoint(), mark.operation(),
					this.markWhereWhen.get(i)[1], this.threadIds[thread], this.threadNames[thread]));
		}
		return new Samples(this.size, this.types, this.stacks, this.threads, this.times, this.values, this.counts,
				this.sizes, this.states, spans, List.copyOf(this.frames), this.stackFrames.toArray(new int[0][]),
				Arrays.copyOf(this.threadIds, threadCount), Arrays.copyOf(this.threadNames, threadCount),
				List.copyOf(labels), List.copyOf(endpointMarks), start, end, this.periods.clone());
	}

	/**
	 * The index of the labels of a scope tag, added if new; -1 for a tag that does not
	 * parse.
	 */
	private int label(String tag, Map<String, Integer> labelIndex, List<SpanLabels> labels) {
		Integer index = labelIndex.get(tag);
		if (index == null) {
			SpanTag parsed = SpanTag.parse(tag);
			if (parsed == null || parsed.isEndpoint()) {
				index = -1;
			}
			else {
				index = labels.size();
				labels.add(new SpanLabels(parsed.traceId(), parsed.spanId(), parsed.localRootSpanId(),
						this.endpoints.get(parsed.localRootSpanId())));
			}
			labelIndex.put(tag, index);
		}
		return index;
	}

	/** A stack's frame indices as a hash key. */
	private record StackKey(int[] frames) {

		@Override
		public boolean equals(Object other) {
			return other instanceof StackKey key && Arrays.equals(this.frames, key.frames);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.frames);
		}

	}

}
