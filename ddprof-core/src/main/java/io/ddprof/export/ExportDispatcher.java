package io.ddprof.export;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.ddprof.problem.ProblemLog;
import io.ddprof.window.RecordedWindow;

/**
 * Hands each finished window to every {@link WindowConsumer} (the exporters, the history,
 * the summary) on one background thread ({@code ddprof-export}), then deletes the
 * window's file. A failing consumer is reported and the others still run. At most a few
 * windows wait for the thread; beyond that the oldest is dropped and counted, so a slow
 * exporter can never grow memory or disk use.
 */
public final class ExportDispatcher {

	private static final int MAX_WAITING = 4;

	private final List<WindowConsumer> consumers = new CopyOnWriteArrayList<>();

	private final ProblemLog problems;

	private final Deque<Pending> waiting = new ArrayDeque<>();

	private final AtomicLong exported = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong cpuNanos = new AtomicLong();

	private final Thread thread;

	private volatile boolean closing;

	/** Creates the dispatcher and starts its thread. */
	public ExportDispatcher(ProblemLog problems) {
		this.problems = problems;
		this.thread = new Thread(this::run, "ddprof-export");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Adds a consumer; windows submitted from now on reach it. */
	public void add(WindowConsumer consumer) {
		this.consumers.add(consumer);
	}

	/** The consumers, exporters or not, in the order they receive windows. */
	public List<WindowConsumer> consumers() {
		return List.copyOf(this.consumers);
	}

	/**
	 * Queues a window for the consumers; the returned future completes once every
	 * consumer has returned (or the window was dropped). Never blocks.
	 */
	public CompletableFuture<RecordedWindow> submit(RecordedWindow window) {
		Pending pending = new Pending(window, new CompletableFuture<>());
		Pending evicted = null;
		synchronized (this.waiting) {
			if (this.closing) {
				evicted = pending;
			}
			else {
				if (this.waiting.size() >= MAX_WAITING) {
					evicted = this.waiting.pollFirst();
				}
				this.waiting.addLast(pending);
				this.waiting.notifyAll();
			}
		}
		if (evicted != null) {
			drop(evicted, "the exporters fell behind by more than " + MAX_WAITING + " windows");
		}
		return pending.done;
	}

	/** Windows handed to all consumers so far. */
	public long exported() {
		return this.exported.get();
	}

	/** Windows dropped before the consumers saw them. */
	public long dropped() {
		return this.dropped.get();
	}

	/** CPU time the export thread has used, in nanoseconds. */
	public long cpuNanos() {
		return this.cpuNanos.get();
	}

	/**
	 * Exports what waits, then closes every consumer, all before {@code deadlineNanos}
	 * ({@link System#nanoTime()}); windows still waiting then are dropped and counted.
	 */
	public void close(long deadlineNanos) {
		synchronized (this.waiting) {
			this.closing = true;
			this.waiting.notifyAll();
		}
		try {
			long remaining = deadlineNanos - System.nanoTime();
			if (remaining > 0) {
				this.thread.join(Math.max(1, remaining / 1_000_000));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.thread.interrupt();
		Pending left;
		while ((left = poll()) != null) {
			drop(left, "the profiler stopped before it could be exported");
		}
		for (WindowConsumer consumer : this.consumers) {
			try {
				consumer.close(deadlineNanos);
			}
			catch (RuntimeException ex) {
				this.problems.report("export.close." + consumer.name(),
						"exporter '" + consumer.name() + "' failed to close: " + ex);
			}
		}
	}

	private Pending poll() {
		synchronized (this.waiting) {
			return this.waiting.pollFirst();
		}
	}

	private void run() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		while (true) {
			Pending next;
			synchronized (this.waiting) {
				while (this.waiting.isEmpty() && !this.closing) {
					try {
						this.waiting.wait();
					}
					catch (InterruptedException ex) {
						return;
					}
				}
				next = this.waiting.pollFirst();
			}
			if (next == null) {
				return;
			}
			long cpuBefore = threads.getCurrentThreadCpuTime();
			export(next);
			this.cpuNanos.addAndGet(Math.max(0, threads.getCurrentThreadCpuTime() - cpuBefore));
		}
	}

	private void export(Pending pending) {
		for (WindowConsumer consumer : this.consumers) {
			try {
				consumer.accept(pending.window);
			}
			catch (Exception | LinkageError ex) {
				this.problems.report("export." + consumer.name(), "exporter '" + consumer.name() + "' failed on window "
						+ pending.window.sequence() + ": " + describe(ex));
			}
		}
		this.exported.incrementAndGet();
		delete(pending);
		pending.done.complete(pending.window);
	}

	private void drop(Pending pending, String reason) {
		this.dropped.incrementAndGet();
		this.problems.report("export.dropped", "window " + pending.window.sequence() + " dropped: " + reason);
		delete(pending);
		pending.done.complete(pending.window);
	}

	private void delete(Pending pending) {
		try {
			Files.deleteIfExists(pending.window.jfr());
		}
		catch (IOException ex) {
			this.problems.report("export.delete", "could not delete " + pending.window.jfr() + ": " + ex.getMessage());
		}
	}

	static String describe(Throwable ex) {
		String message = ex.getMessage();
		return ex.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	private record Pending(RecordedWindow window, CompletableFuture<RecordedWindow> done) {
	}

}
