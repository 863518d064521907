package io.ddprof.spring.tracing;

import java.util.Arrays;

import io.ddprof.context.SpanSink;
import io.ddprof.problem.ProblemLog;
import org.jspecify.annotations.Nullable;

/**
 * Turns span scopes opening and closing on application threads into span intervals in the
 * recording. Each thread keeps a small stack of the scopes open on it now; a span's
 * interval runs while its scope is open and no scope without a span (a cleared context, a
 * Reactor reset) hides it, so that a sample taken at any moment lies in the intervals of
 * the spans current then, the innermost last.
 * <p>
 * One scope can be reported by two hooks (an Observation's scope also opens a tracer
 * scope): a scope for the span already on top of the stack only counts as one more hold
 * on it, so the interval is recorded once. A thread is eligible for wall-clock sampling
 * while some span is visible on it. Called on application threads: no allocation after a
 * thread's first scope, never throws. Until {@link #connect connected} to a profiler,
 * scopes are tracked but nothing is recorded, so that tracers can be built before the
 * profiler.
 */
public final class SpanScopes {

	/**
	 * Deeper than this, scopes are being opened and never closed: the thread's stack
	 * starts over.
	 */
	static final int MAX_DEPTH = 64;

	private final ThreadLocal<Stack> stacks = ThreadLocal.withInitial(Stack::new);

	private volatile SpanSink sink;

	private volatile ProblemLog problems;

	/** Scopes recorded nowhere until {@link #connect connected}. */
	public SpanScopes() {
		this(SpanSink.NONE, new ProblemLog());
	}

	/**
	 * Scopes recorded into {@code sink}; faults (scopes never closed, hooks failing) go
	 * to {@code problems}.
	 */
	public SpanScopes(SpanSink sink, ProblemLog problems) {
		this.sink = sink;
		this.problems = problems;
	}

	/** Records from now on into {@code sink}, and reports faults to {@code problems}. */
	public void connect(SpanSink sink, ProblemLog problems) {
		this.sink = sink;
		this.problems = problems;
	}

	/** Reports a fault of the tracing bridge, rate-limited by kind. */
	void report(String kind, String message) {
		this.problems.report(kind, message);
	}

	/**
	 * A scope opened on the current thread.
	 * @param span the span it makes current, or {@code null} for a scope that clears the
	 * current span
	 * @return whether the scope was recorded: one that clears a thread holding no scope
	 * is not, and needs no {@link #close}
	 */
	boolean open(@Nullable ScopedSpan span) {
		Stack stack = this.stacks.get();
		int top = stack.depth - 1;
		if (top >= 0 && ScopedSpan.same(stack.spans[top], span)) {
			stack.holds[top]++;
			return true;
		}
		if (span == null && top < 0) {
			return false;
		}
		if (stack.depth == MAX_DEPTH) {
			report("tracing.scopes", "more than " + MAX_DEPTH + " tracing scopes open at once on thread '"
					+ Thread.currentThread().getName() + "': scopes are opened and never closed, so samples there may "
					+ "carry the wrong span; the profiler starts that thread's scopes over");
			clear(stack);
		}
		if (span == null) {
			hideVisible(stack);
			stack.push(null, 0);
			return true;
		}
		stack.push(span, this.sink.begin());
		if (stack.visible++ == 0) {
			this.sink.threadEntered();
		}
		return true;
	}

	/**
	 * The scope of {@code span} ({@code null}: a scope that cleared the current span)
	 * closed on the current thread. Scopes normally close innermost first; one closed out
	 * of order is found further down, and one never opened here is ignored.
	 */
	void close(@Nullable ScopedSpan span) {
		Stack stack = this.stacks.get();
		for (int i = stack.depth - 1; i >= 0; i--) {
			if (ScopedSpan.same(stack.spans[i], span)) {
				if (--stack.holds[i] == 0) {
					remove(stack, i);
				}
				return;
			}
		}
	}

	/**
	 * The innermost scope of the current thread closed (for tracers whose close event
	 * does not say which).
	 */
	void closeInnermost() {
		Stack stack = this.stacks.get();
		int top = stack.depth - 1;
		if (top >= 0 && --stack.holds[top] == 0) {
			remove(stack, top);
		}
	}

	/**
	 * The tracer says that {@code current} ({@code null}: no span) is the current span of
	 * this thread again after a scope closed. When the stack disagrees (scopes closed out
	 * of order, or the stack was started over), the scopes above it are closed, or the
	 * stack starts over from {@code current}.
	 */
	void restored(@Nullable ScopedSpan current) {
		Stack stack = this.stacks.get();
		int top = stack.depth - 1;
		if ((top < 0) ? current == null : ScopedSpan.same(stack.spans[top], current)) {
			return;
		}
		for (int i = top - 1; i >= 0; i--) {
			if (ScopedSpan.same(stack.spans[i], current)) {
				hideVisible(stack);
				stack.truncate(i + 1);
				showVisible(stack);
				return;
			}
		}
		clear(stack);
		if (current != null) {
			open(current);
		}
	}

	/** Every scope of the current thread ends at once (Reactor's scope reset). */
	void reset() {
		clear(this.stacks.get());
	}

	/** The span current on this thread, or {@code null} when none is. */
	@Nullable ScopedSpan innermost() {
		Stack stack = this.stacks.get();
		return (stack.depth > 0) ? stack.spans[stack.depth - 1] : null;
	}

	/**
	 * Records the endpoint (such as {@code GET /orders/{id}}) of a local root span, and
	 * the operation of the server that served it (such as {@code servlet.request}).
	 */
	void endpoint(long localRootSpanId, String operation, String endpoint) {
		this.sink.endpoint(localRootSpanId, operation, endpoint);
	}

	private void remove(Stack stack, int index) {
		if (index == stack.depth - 1) {
			ScopedSpan span = stack.pop();
			if (span == null) {
				showVisible(stack);
			}
			else {
				this.sink.end(stack.starts[stack.depth], span.tag());
				if (--stack.visible == 0) {
					this.sink.threadLeft();
				}
			}
			return;
		}
		// Closed out of order, which is rare: end what is visible, take the scope out,
		// and start
		// what is visible afterwards.
		hideVisible(stack);
		stack.removeAt(index);
		showVisible(stack);
	}

	private void clear(Stack stack) {
		hideVisible(stack);
		stack.truncate(0);
	}

	/**
	 * Ends the intervals of the spans visible now (those above the innermost scope
	 * without a span), innermost first.
	 */
	private void hideVisible(Stack stack) {
		for (int i = stack.depth - 1; i >= 0 && stack.spans[i] != null; i--) {
			this.sink.end(stack.starts[i], stack.spans[i].tag());
		}
		if (stack.visible > 0) {
			stack.visible = 0;
			this.sink.threadLeft();
		}
	}

	/**
	 * Starts the intervals of the spans visible now, none of which was visible before;
	 * outermost first, so that intervals begin and end in nested order on the thread (the
	 * JFR engine's sink relies on it).
	 */
	private void showVisible(Stack stack) {
		int first = stack.depth;
		while (first > 0 && stack.spans[first - 1] != null) {
			first--;
		}
		for (int i = first; i < stack.depth; i++) {
			stack.starts[i] = this.sink.begin();
		}
		int shown = stack.depth - first;
		if (shown > 0) {
			stack.visible = shown;
			this.sink.threadEntered();
		}
	}

	/** One thread's open scopes, innermost last, in arrays that only grow. */
	private static final class Stack {

		private @Nullable ScopedSpan[] spans = new ScopedSpan[8];

		private int[] holds = new int[8];

		private long[] starts = new long[8];

		private int depth;

		/** How many spans are above the innermost scope without a span. */
		private int visible;

		void push(@Nullable ScopedSpan span, long start) {
			if (this.depth == this.spans.length) {
				int length = this.depth * 2;
				this.spans = Arrays.copyOf(this.spans, length);
				this.holds = Arrays.copyOf(this.holds, length);
				this.starts = Arrays.copyOf(this.starts, length);
			}
			this.spans[this.depth] = span;
			this.holds[this.depth] = 1;
			this.starts[this.depth] = start;
			this.depth++;
		}

		@Nullable ScopedSpan pop() {
			ScopedSpan span = this.spans[--this.depth];
			this.spans[this.depth] = null;
			return span;
		}

		void removeAt(int index) {
			int moved = this.depth - index - 1;
			System.arraycopy(this.spans, index + 1, this.spans, index, moved);
			System.arraycopy(this.holds, index + 1, this.holds, index, moved);
			System.arraycopy(this.starts, index + 1, this.starts, index, moved);
			this.spans[--this.depth] = null;
		}

		void truncate(int depth) {
			Arrays.fill(this.spans, depth, this.depth, null);
			this.depth = depth;
		}

	}

}
