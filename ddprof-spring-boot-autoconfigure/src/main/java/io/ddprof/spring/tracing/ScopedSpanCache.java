package io.ddprof.spring.tracing;

import org.jspecify.annotations.Nullable;

/**
 * The {@link ScopedSpan} of recently seen span contexts, so that a scope change costs a
 * lookup instead of formatting ids. Keyed by the tracer's own context object (Brave's
 * {@code TraceContext}, OpenTelemetry's {@code SpanContext}), which a span keeps for its
 * whole life. Direct-mapped and lossy: a fixed number of slots, a newer span replaces an
 * older one in its slot, and a span is {@linkplain #forget forgotten} when it ends, so
 * that the cache does not keep a request's objects (the tracer's context, the span's
 * text) alive after the request: kept for seconds, they would outlive several young
 * collections of an allocating service and be copied by each, then promoted (measured
 * under the load benchmark: about 400 bytes per request promoted, the collector's CPU
 * doubled). Entries are immutable, so a racy read sees either a complete entry or another
 * one, never a torn one.
 */
final class ScopedSpanCache {

	private static final int SLOTS = 4096;

	private final @Nullable Entry[] entries = new Entry[SLOTS];

	/** The span cached for {@code context}, or {@code null}. */
	@Nullable ScopedSpan find(Object context, int hash) {
		Entry entry = this.entries[index(hash)];
		return (entry != null && entry.context == context) ? entry.span : null;
	}

	/** Caches {@code span} for {@code context}, replacing whatever shared its slot. */
	void put(Object context, int hash, ScopedSpan span) {
		this.entries[index(hash)] = new Entry(context, span);
	}

	/**
	 * Forgets the span cached for {@code context}, if its slot still holds it: the span
	 * ended.
	 */
	void forget(Object context, int hash) {
		int index = index(hash);
		Entry entry = this.entries[index];
		if (entry != null && entry.context == context) {
			this.entries[index] = null;
		}
	}

	private static int index(int hash) {
		return (hash ^ (hash >>> 16)) & (SLOTS - 1);
	}

	private record Entry(Object context, ScopedSpan span) {
	}

}
