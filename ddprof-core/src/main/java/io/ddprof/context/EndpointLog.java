package io.ddprof.context;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints of the server requests that ended, kept in memory until the window they
 * ended in is exported. Datadog needs one {@code datadog.Endpoint} per request;
 * async-profiler drops events recorded while it dumps a chunk (measured: every request
 * that ended in the 20 ms before a cut lost its endpoint), so the Datadog upload takes
 * endpoints from here rather than from the recording. Bounded: beyond {@code capacity}
 * requests waiting, the newest are counted as dropped. A request's entry lives until the
 * window is exported, long enough to be promoted by the collector of an allocating
 * service: its endpoint and operation names are shared with the requests before it (whose
 * text is usually built anew by each request) rather than kept once per request. Called
 * on application threads; never throws.
 */
public final class EndpointLog {

	/** Requests kept per window before the newest are dropped: about 5 MB at most. */
	public static final int DEFAULT_CAPACITY = 100_000;

	/**
	 * Most distinct names shared; beyond (an unbounded endpoint set), each request keeps
	 * its own.
	 */
	static final int MAX_SHARED_NAMES = 10_000;

	private final int capacity;

	private final Map<String, String> names = new ConcurrentHashMap<>();

	private final ArrayDeque<EndpointMark> marks = new ArrayDeque<>();

	private long dropped;

	/** A log keeping at most {@code capacity} requests until they are drained. */
	public EndpointLog(int capacity) {
		this.capacity = capacity;
	}

	/**
	 * The current thread ended a server request whose local root span has this endpoint.
	 */
	public void record(long localRootSpanId, String operation, String endpoint) {
		Thread thread = Thread.currentThread();
		EndpointMark mark = new EndpointMark(localRootSpanId, shared(endpoint), shared(operation),
				System.currentTimeMillis() * 1_000_000L, thread.getId(), thread.getName());
		synchronized (this.marks) {
			if (this.marks.size() >= this.capacity) {
				this.dropped++;
				return;
			}
			this.marks.add(mark);
		}
	}

	/** The copy of {@code name} earlier requests hold, if any. */
	String shared(String name) {
		String known = this.names.get(name);
		if (known != null) {
			return known;
		}
		if (this.names.size() < MAX_SHARED_NAMES) {
			known = this.names.putIfAbsent(name, name);
		}
		return (known != null) ? known : name;
	}

	/**
	 * Removes and returns the requests that ended before {@code end}; later ones stay for
	 * the next window.
	 */
	public List<EndpointMark> drainBefore(Instant end) {
		long endNanos = end.getEpochSecond() * 1_000_000_000L + end.getNano();
		List<EndpointMark> drained = new ArrayList<>();
		synchronized (this.marks) {
			for (Iterator<EndpointMark> iterator = this.marks.iterator(); iterator.hasNext();) {
				EndpointMark mark = iterator.next();
				if (mark.timeNanos() < endNanos) {
					drained.add(mark);
					iterator.remove();
				}
			}
		}
		return drained;
	}

	/** Forgets every request kept (a new recording starts). */
	public void clear() {
		synchronized (this.marks) {
			this.marks.clear();
		}
	}

	/** How many requests found the log full since it was made. */
	public long dropped() {
		synchronized (this.marks) {
			return this.dropped;
		}
	}

}
