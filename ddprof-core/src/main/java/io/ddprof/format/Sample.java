package io.ddprof.format;

import java.util.List;

import io.ddprof.profile.EventType;
import org.jspecify.annotations.Nullable;

/**
 * One sample as a value, for callers that want records rather than the columns of
 * {@link Samples}.
 *
 * @param type the profile type
 * @param stack the frames, leaf first
 * @param threadId the Java thread id, or the OS thread id for a thread outside Java
 * @param threadName the thread's name
 * @param timeNanos when the sample was taken (for live objects: when the object was
 * allocated), in nanoseconds since the epoch
 * @param value nanoseconds for CPU, wall and lock; bytes for allocation and live heap
 * @param count how many samples this one stands for (1, or more for batched wall-clock
 * samples)
 * @param span the span in scope, or {@code null}
 */
public record Sample(EventType type, List<StackFrame> stack, long threadId, String threadName, long timeNanos,
		long value, long count, @Nullable SpanLabels span) {

}
