package io.ddprof.format;

import java.util.ArrayList;
import java.util.List;

import io.ddprof.context.EndpointMark;
import io.ddprof.profile.EventType;
import org.jspecify.annotations.Nullable;

/**
 * The samples of one or more consecutive windows, each joined to the span that was in
 * scope, as read by {@link ProfileReader}. Held in columns (under 40 bytes a sample) with
 * frames, stacks, threads and span labels stored once, so that a window of a busy service
 * fits in a few megabytes and the writers can walk it without allocating per sample.
 * Immutable; sample {@code i} is addressed by index from 0 to {@link #size()}.
 */
public final class Samples {

	private static final EventType[] TYPES = EventType.values();

	private final int size;

	private final byte[] types;

	private final int[] stacks;

	private final int[] threads;

	private final long[] times;

	private final long[] values;

	private final long[] counts;

	private final long[] sizes;

	private final byte[] states;

	private final List<EndpointMark> endpoints;

	private final int[] spans;

	private final List<StackFrame> frames;

	private final int[][] stackFrames;

	private final List<List<StackFrame>> stackLists;

	private final long[] threadIds;

	private final String[] threadNames;

	private final List<SpanLabels> labels;

	private final long startNanos;

	private final long endNanos;

	private final long[] periods;

	Samples(int size, byte[] types, int[] stacks, int[] threads, long[] times, long[] values, long[] counts,
			long[] sizes, byte[] states, int[] spans, List<StackFrame> frames, int[][] stackFrames, long[] threadIds,
			String[] threadNames, List<SpanLabels> labels, List<EndpointMark> endpoints, long startNanos, long endNanos,
			long[] periods) {
		this.size = size;
		this.types = types;
		this.stacks = stacks;
		this.threads = threads;
		this.times = times;
		this.values = values;
		this.counts = counts;
		this.sizes = sizes;
		this.states = states;
		this.endpoints = endpoints;
		this.spans = spans;
		this.frames = frames;
		this.stackFrames = stackFrames;
		this.stackLists = new ArrayList<>(stackFrames.length);
		for (int[] ids : stackFrames) {
			StackFrame[] stack = new StackFrame[ids.length];
			for (int i = 0; i < ids.length; i++) {
				stack[i] = frames.get(ids[i]);
			}
			this.stackLists.add(List.of(stack));
		}
		this.threadIds = threadIds;
		this.threadNames = threadNames;
		this.labels = labels;
		this.startNanos = startNanos;
		this.endNanos = endNanos;
		this.periods = periods;
	}

	/** The number of samples. */
	public int size() {
		return this.size;
	}

	/** The profile type of sample {@code i}. */
	public EventType type(int i) {
		return TYPES[this.types[i]];
	}

	/** The frames of sample {@code i}, leaf first. */
	public List<StackFrame> stack(int i) {
		return this.stackLists.get(this.stacks[i]);
	}

	/**
	 * The Java thread id of sample {@code i}, or the OS thread id for a thread outside
	 * Java.
	 */
	public long threadId(int i) {
		return this.threadIds[this.threads[i]];
	}

	/** The name of the thread of sample {@code i}. */
	public String threadName(int i) {
		return this.threadNames[this.threads[i]];
	}

	/**
	 * When sample {@code i} was taken, in nanoseconds since the epoch; for a live object,
	 * when it was allocated.
	 */
	public long timeNanos(int i) {
		return this.times[i];
	}

	/**
	 * Nanoseconds (CPU, wall, lock) or bytes (allocation, live heap) that sample
	 * {@code i} stands for.
	 */
	public long value(int i) {
		return this.values[i];
	}

	/**
	 * How many samples sample {@code i} stands for: 1, or more for batched wall-clock
	 * samples.
	 */
	public long count(int i) {
		return this.counts[i];
	}

	/**
	 * The size in bytes of the object sampled by allocation or live-heap sample
	 * {@code i}; 0 when the recording does not say (the JDK Flight Recorder's samples)
	 * and for other types.
	 */
	public long objectSize(int i) {
		return this.sizes[i];
	}

	/**
	 * The state of the thread of sample {@code i} when it was taken, as far as the
	 * recording says.
	 */
	public ThreadState threadState(int i) {
		return ThreadState.VALUES[this.states[i]];
	}

	/**
	 * The endpoints recorded in the windows read: one per server request whose local root
	 * span ended there.
	 */
	public List<EndpointMark> endpoints() {
		return this.endpoints;
	}

	/**
	 * The weight stacks are drawn with in collapsed stacks and flame graphs: the sample
	 * count for CPU and wall clock, bytes for allocation and live heap, nanoseconds for
	 * lock.
	 */
	public long weight(int i) {
		EventType type = type(i);
		return (type == EventType.CPU || type == EventType.WALL) ? this.counts[i] : this.values[i];
	}

	/** The span in scope when sample {@code i} was taken, or {@code null}. */
	public @Nullable SpanLabels span(int i) {
		int span = this.spans[i];
		return (span >= 0) ? this.labels.get(span) : null;
	}

	/** Sample {@code i} as a record. */
	public Sample get(int i) {
		return new Sample(type(i), stack(i), threadId(i), threadName(i), timeNanos(i), value(i), count(i), span(i));
	}

	/** The start of the earliest window read, in nanoseconds since the epoch. */
	public long startNanos() {
		return this.startNanos;
	}

	/** The end of the latest window read, in nanoseconds since the epoch. */
	public long endNanos() {
		return this.endNanos;
	}

	/**
	 * The sampling period the recording used for a type: nanoseconds for CPU and wall,
	 * bytes for allocation and live heap, the threshold in nanoseconds for lock; 0 when
	 * the file did not say.
	 */
	public long period(EventType type) {
		return this.periods[type.ordinal()];
	}

	/**
	 * The summed {@link #weight(int)} of the selected samples per stack id: what
	 * collapsed stacks and flame graphs draw.
	 */
	long[] weightByStack(SampleFilter filter) {
		long[] weights = new long[this.stackFrames.length];
		for (int i = 0; i < this.size; i++) {
			if (filter.matches(this, i)) {
				weights[this.stacks[i]] += weight(i);
			}
		}
		return weights;
	}

	int stackId(int i) {
		return this.stacks[i];
	}

	int[] frameIds(int stackId) {
		return this.stackFrames[stackId];
	}

	StackFrame frame(int frameId) {
		return this.frames.get(frameId);
	}

	int frameCount() {
		return this.frames.size();
	}

	int threadIndex(int i) {
		return this.threads[i];
	}

	int spanIndex(int i) {
		return this.spans[i];
	}

	SpanLabels labels(int spanIndex) {
		return this.labels.get(spanIndex);
	}

	long threadIdAt(int threadIndex) {
		return this.threadIds[threadIndex];
	}

	String threadNameAt(int threadIndex) {
		return this.threadNames[threadIndex];
	}

}
