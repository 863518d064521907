package io.ddprof.engine;

import java.time.Duration;

import io.ddprof.profile.EventType;
import org.jspecify.annotations.Nullable;

/**
 * What one window records, chosen afresh for each window: intervals vary a little from
 * window to window so that sampling does not march in step with periodic work, and the
 * allocation interval adapts to the allocation rate just seen. A {@code null} interval
 * means the event is off.
 *
 * @param cpuInterval CPU sampling interval, or {@code null}
 * @param wallInterval wall-clock sampling interval, or {@code null}
 * @param wallThreadFilter whether wall-clock sampling is limited to threads holding a
 * span
 * @param wallThreadsPerTick most threads wall-sampled per tick
 * @param allocInterval bytes between allocation samples, or {@code null}
 * @param allocSamplesPerSecond the allocation sampling rate aimed at (the JFR engine
 * throttles to it)
 * @param live whether sampled allocations are tracked until collected (live heap)
 * @param lockThreshold shortest contention recorded, or {@code null}
 * @param stackDepth most frames per stack
 */
public record RecordingOptions(@Nullable Duration cpuInterval, @Nullable Duration wallInterval,
		boolean wallThreadFilter, int wallThreadsPerTick, @Nullable Long allocInterval, int allocSamplesPerSecond,
		boolean live, @Nullable Duration lockThreshold, int stackDepth) {

	/** Whether the given event is recorded. */
	public boolean records(EventType type) {
		return switch (type) {
			case CPU -> this.cpuInterval != null;
			case WALL -> this.wallInterval != null;
			case ALLOC -> this.allocInterval != null;
			case LIVE -> this.live && this.allocInterval != null;
			case LOCK -> this.lockThreshold != null;
		};
	}

}
