package io.ddprof.engine;

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Which platform threads hold a span now, for async-profiler's wall-clock thread filter.
 * async-profiler forgets its filter when a recording restarts, so after each window
 * switch the engine re-adds the threads found here. A thread's slot is allocated once in
 * its life; entering and leaving a span then only moves a counter, without allocating.
 * Virtual threads are never registered (the engine leaves them out): async-profiler
 * filters OS threads, and with a virtual thread per request a registry of them would grow
 * with the request count. Threads that ended are forgotten at every {@link #sweep}, which
 * the engine calls at each window cut whether or not the filter is on, so the registry is
 * bounded by the platform threads alive.
 */
final class WallThreadFilter {

	private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(this::register);

	private final Queue<Slot> registered = new ConcurrentLinkedQueue<>();

	/** The current thread entered a span; true when it was in none before. */
	boolean enter() {
		return this.slots.get().depth++ == 0;
	}

	/** The current thread left a span; true when it now holds none. */
	boolean leave() {
		Slot slot = this.slots.get();
		if (slot.depth == 0) {
			return false;
		}
		return --slot.depth == 0;
	}

	/**
	 * Calls {@code action} for every live thread holding a span; forgets threads that
	 * ended.
	 */
	void forEachInSpan(Consumer<Thread> action) {
		for (Iterator<Slot> iterator = this.registered.iterator(); iterator.hasNext();) {
			Slot slot = iterator.next();
			if (!slot.thread.isAlive()) {
				iterator.remove();
			}
			else if (slot.depth > 0) {
				action.accept(slot.thread);
			}
		}
	}

	/** Forgets the threads that ended. */
	void sweep() {
		this.registered.removeIf((slot) -> !slot.thread.isAlive());
	}

	/** How many threads are registered now. */
	int size() {
		return this.registered.size();
	}

	private Slot register() {
		Slot slot = new Slot(Thread.currentThread());
		this.registered.add(slot);
		return slot;
	}

	private static final class Slot {

		private final Thread thread;

		// Written only by its own thread; read by the recorder thread after a switch,
		// where a
		// stale value only delays a thread's eligibility until its next scope change.
		private volatile int depth;

		Slot(Thread thread) {
			this.thread = thread;
		}

	}

}
