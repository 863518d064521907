package io.ddprof.engine;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Bytes allocated by the JVM's threads since the last call, from the per-thread
 * allocation counters HotSpot keeps anyway. Threads that ended since the last call are
 * not counted, which only makes the estimate a little low. Called once per window, on the
 * recorder thread.
 */
final class AllocationRate {

	private final com.sun.management.@Nullable ThreadMXBean threads;

	private Map<Long, Long> previous = new HashMap<>();

	AllocationRate() {
		java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
		this.threads = (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported())
				? sun : null;
		if (this.threads != null && !this.threads.isThreadAllocatedMemoryEnabled()) {
			this.threads.setThreadAllocatedMemoryEnabled(true);
		}
	}

	/** Whether this JVM counts allocated bytes per thread. */
	boolean supported() {
		return this.threads != null;
	}

	/**
	 * Bytes allocated since the previous call (the first call counts from each thread's
	 * start).
	 */
	long allocatedSinceLastCall() {
		if (this.threads == null) {
			return 0;
		}
		long[] ids = this.threads.getAllThreadIds();
		long[] bytes = this.threads.getThreadAllocatedBytes(ids);
		Map<Long, Long> current = new HashMap<>(ids.length * 2);
		long total = 0;
		for (int i = 0; i < ids.length; i++) {
			if (bytes[i] < 0) {
				continue;
			}
			current.put(ids[i], bytes[i]);
			total += Math.max(0, bytes[i] - this.previous.getOrDefault(ids[i], 0L));
		}
		this.previous = current;
		return total;
	}

}
