package io.ddprof.export.upload;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import io.ddprof.problem.ProblemLog;
import org.jspecify.annotations.Nullable;

/**
 * The bounded queue between the exporter and the network. Windows wait as files on disk;
 * one daemon thread (named by its {@link UploadDestination}) sends them oldest first,
 * retries 429, 5xx and I/O errors with backoff while a window is younger than the retry
 * policy's maximum age, and gives up at once on any other answer. When {@code capacity}
 * windows wait, the oldest is dropped. Every window ends exactly once as sent, failed or
 * dropped (with a reason), and its file is deleted then. Nothing here blocks the caller
 * of {@link #offer} or throws at it.
 */
public final class UploadQueue {

	private final UploadTransport transport;

	private final Function<QueuedWindow, UploadRequest> requests;

	private final int capacity;

	private final RetryPolicy retry;

	private final ProblemLog problems;

	private final Clock clock;

	private final URI destination;

	private final String destinationReason;

	/**
	 * The destination in a sentence, as problems name it
	 * ({@link UploadDestination#description()}).
	 */
	private final String destinationDescription;

	private final String key;

	private final String timeoutKey;

	private final UploadDestination.Refusals refusals;

	private final @Nullable String apiKey;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final Deque<Pending> waiting = new ArrayDeque<>();

	private final Thread sender;

	private @Nullable Pending inFlight;

	private boolean closing;

	private long deadlineNanos;

	private long sent;

	private long retried;

	private long failed;

	private long bytesSent;

	private final Map<String, Long> dropped = new HashMap<>();

	private String lastOutcome = UploadOutcome.NONE.value();

	private @Nullable Instant lastOutcomeTime;

	private String lastDetail = "";

	/**
	 * Creates the queue and starts its sender thread.
	 * @param transport sends the requests
	 * @param requests builds the request of a window
	 * @param destination where requests go, why there, and how its problems are worded
	 * @param capacity how many windows may wait
	 * @param retry when to try again and when to give up
	 * @param problems where problems are reported
	 * @param clock the time of outcomes in status
	 */
	public UploadQueue(UploadTransport transport, Function<QueuedWindow, UploadRequest> requests,
			UploadDestination destination, int capacity, RetryPolicy retry, ProblemLog problems, Clock clock) {
		this.transport = transport;
		this.requests = requests;
		this.destination = destination.uri();
		this.destinationReason = destination.reason();
		this.destinationDescription = destination.description();
		this.key = destination.problemKey();
		this.timeoutKey = destination.timeoutKey();
		this.refusals = destination.refusals();
		this.apiKey = destination.secret();
		this.capacity = capacity;
		this.retry = retry;
		this.problems = problems;
		this.clock = clock;
		this.sender = new Thread(this::run, destination.threadName());
		this.sender.setDaemon(true);
		this.sender.start();
	}

	/**
	 * Adds a window; the queue owns its file from now on. When the queue is full the
	 * oldest waiting window is dropped; after {@link #close} the window is dropped at
	 * once.
	 */
	public void offer(QueuedWindow window) {
		this.lock.lock();
		try {
			Pending pending = new Pending(window);
			if (this.closing) {
				drop(pending, DropReason.SHUTDOWN,
						"profile #" + window.sequence() + " arrived after the upload queue closed and is not uploaded");
				return;
			}
			if (this.waiting.size() >= this.capacity) {
				Pending oldest = this.waiting.pollFirst();
				drop(oldest, DropReason.QUEUE_FULL, queueFullMessage(oldest));
			}
			this.waiting.addLast(pending);
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Counts a window that never reached the queue (it could not be written to disk,
	 * say).
	 */
	public void countDropped(DropReason reason, String detail) {
		this.lock.lock();
		try {
			this.dropped.merge(reason.value(), 1L, Long::sum);
			outcome(UploadOutcome.DROPPED, detail);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A snapshot of the counters. */
	public UploadStatus status() {
		this.lock.lock();
		try {
			int depth = this.waiting.size() + ((this.inFlight != null && !this.inFlight.settled) ? 1 : 0);
			return new UploadStatus(this.destination, this.destinationReason, depth, this.lastOutcome,
					this.lastOutcomeTime, this.lastDetail, this.sent, this.retried, this.failed, this.dropped,
					this.bytesSent);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Sends what waits until {@code deadlineNanos} ({@link System#nanoTime()}), then
	 * stops the sender (interrupting a request still running), counts what is left as
	 * dropped with reason {@code shutdown} and deletes its files. Returns by the deadline
	 * plus the time to delete them.
	 */
	public void close(long deadlineNanos) {
		this.lock.lock();
		try {
			if (!this.closing) {
				this.closing = true;
				this.deadlineNanos = deadlineNanos;
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		boolean interrupted = false;
		try {
			TimeUnit.NANOSECONDS.timedJoin(this.sender, deadlineNanos - System.nanoTime());
		}
		catch (InterruptedException ex) {
			interrupted = true;
		}
		if (this.sender.isAlive()) {
			this.sender.interrupt();
		}
		this.lock.lock();
		try {
			int left = 0;
			for (Pending pending; (pending = this.waiting.pollFirst()) != null; left++) {
				settleDropped(pending, DropReason.SHUTDOWN, "not sent before the shutdown deadline");
			}
			if (this.inFlight != null && !this.inFlight.settled) {
				settleDropped(this.inFlight, DropReason.SHUTDOWN, "still being sent at the shutdown deadline");
				left++;
			}
			if (left > 0) {
				this.problems.report(this.key + ".dropped." + DropReason.SHUTDOWN.value(),
						left + " profile(s) could not be uploaded to " + this.destinationDescription
								+ " before the shutdown deadline and were dropped");
			}
		}
		finally {
			this.lock.unlock();
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private void run() {
		try {
			for (Pending next = take(); next != null; next = take()) {
				attempt(next);
			}
		}
		catch (InterruptedException ex) {
			// close() stopped waiting for us: it counts and deletes what is left.
		}
	}

	// The next window due, waiting for its backoff; null once closed and drained or past
	// the deadline.
	private @Nullable Pending take() throws InterruptedException {
		this.lock.lock();
		try {
			while (true) {
				long now = System.nanoTime();
				if (this.closing && now - this.deadlineNanos >= 0) {
					return null;
				}
				Pending head = this.waiting.peekFirst();
				if (head == null) {
					if (this.closing) {
						return null;
					}
					this.changed.await();
					continue;
				}
				if (now - head.window.queuedNanos() > this.retry.maxAge().toNanos()) {
					this.waiting.pollFirst();
					drop(head, DropReason.EXPIRED,
							"gave up on profile #" + head.window.sequence() + " after " + head.attempts
									+ " failed tries: " + this.destinationDescription + " did not take it within "
									+ human(this.retry.maxAge()));
					continue;
				}
				// Wake for the retry or for the window's expiry, whichever comes first: a
				// window past its
				// age is given up on time, not at the next retry or the next window
				// offered.
				long expiresIn = head.window.queuedNanos() + this.retry.maxAge().toNanos() - now + 1;
				long wait = Math.min(head.notBeforeNanos - now, expiresIn);
				if (this.closing) {
					wait = Math.min(wait, this.deadlineNanos - now);
				}
				if (wait > 0) {
					this.changed.awaitNanos(wait);
					continue;
				}
				this.waiting.pollFirst();
				this.inFlight = head;
				return head;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void attempt(Pending pending) {
		int status = 0;
		byte[] body = new byte[0];
		IOException failure = null;
		try {
			UploadTransport.Answer answer = this.transport.exchange(this.requests.apply(pending.window));
			status = answer.status();
			body = answer.body();
		}
		catch (IOException ex) {
			failure = ex;
		}
		catch (RuntimeException ex) {
			// A transport bug must not end the sender thread: treat it as an I/O failure.
			failure = new IOException(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		this.lock.lock();
		try {
			this.inFlight = null;
			if (pending.settled) {
				return;
			}
			String refused = (failure == null && status >= 200 && status < 300) ? this.refusals.refused(body) : null;
			if (refused != null) {
				drop(pending, DropReason.REJECTED, this.destinationDescription + " refused profile #"
						+ pending.window.sequence() + ": " + scrub(refused) + "; it is dropped, not retried");
			}
			else if (failure == null && status >= 200 && status < 300) {
				this.sent++;
				this.bytesSent += pending.window.size();
				settle(pending, UploadOutcome.SENT, "HTTP " + status);
			}
			else if (failure != null || status == 429 || status >= 500) {
				scheduleRetry(pending, failure, status);
			}
			else {
				this.failed++;
				settle(pending, UploadOutcome.FAILED, "HTTP " + status);
				this.problems.report(this.key + ".rejected." + status,
						this.refusals.rejected(status, "profile #" + pending.window.sequence(), pending.window.size()));
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void scheduleRetry(Pending pending, @Nullable IOException failure, int status) {
		long now = System.nanoTime();
		if (this.closing && now - this.deadlineNanos >= 0) {
			// close() is about to count it as dropped at shutdown; no retry will happen.
			this.waiting.addFirst(pending);
			return;
		}
		String detail = (failure != null) ? scrub(describe(failure, this.timeoutKey)) : "HTTP " + status;
		pending.attempts++;
		pending.notBeforeNanos = now + this.retry.backoffNanos(pending.attempts, ThreadLocalRandom.current());
		this.retried++;
		outcome(UploadOutcome.RETRIED, detail);
		String kind = this.key + ((failure instanceof HttpTimeoutException) ? ".timeout"
				: (failure != null) ? ".unreachable" : (status == 429) ? ".throttled" : ".server-error");
		this.problems.report(kind,
				"could not upload profile #" + pending.window.sequence() + " to " + this.destinationDescription + ": "
						+ detail + "; retrying with backoff, for at most " + human(this.retry.maxAge())
						+ " per profile");
		if (this.waiting.size() >= this.capacity) {
			drop(pending, DropReason.QUEUE_FULL, queueFullMessage(pending));
		}
		else {
			this.waiting.addFirst(pending);
		}
	}

	private String queueFullMessage(Pending oldest) {
		return "dropped profile #" + oldest.window.sequence() + ": the upload queue is full (ddprof.upload.queue-size="
				+ this.capacity + ") because " + this.destinationDescription
				+ " is not taking profiles as fast as they are recorded";
	}

	private void drop(Pending pending, DropReason reason, String message) {
		settleDropped(pending, reason, message);
		this.problems.report(this.key + ".dropped." + reason.value(), message);
	}

	private void settleDropped(Pending pending, DropReason reason, String detail) {
		this.dropped.merge(reason.value(), 1L, Long::sum);
		settle(pending, UploadOutcome.DROPPED, reason.value() + ": " + detail);
	}

	private void settle(Pending pending, UploadOutcome outcome, String detail) {
		pending.settled = true;
		outcome(outcome, detail);
		try {
			Files.deleteIfExists(pending.window.file());
		}
		catch (IOException ex) {
			this.problems.report(this.key + ".cleanup",
					"could not delete the upload file " + pending.window.file() + ": " + describe(ex));
		}
	}

	private void outcome(UploadOutcome outcome, String detail) {
		this.lastOutcome = outcome.value();
		this.lastDetail = detail;
		this.lastOutcomeTime = this.clock.instant();
	}

	// A transport's exception message is not ours: make sure it cannot carry a credential
	// into a log or status.
	private String scrub(String text) {
		return (this.apiKey != null && !this.apiKey.isEmpty()) ? text.replace(this.apiKey, "<redacted>") : text;
	}

	// One short phrase, never a stack trace: an unreachable agent is an expected fault.
	public static String describe(IOException ex) {
		return describe(ex, "ddprof.upload.timeout");
	}

	/**
	 * {@link #describe(IOException)}, naming {@code timeoutKey} when no answer came in
	 * time.
	 */
	static String describe(IOException ex, String timeoutKey) {
		if (ex instanceof HttpTimeoutException) {
			return "no answer in time (" + timeoutKey + ")";
		}
		if (ex instanceof ConnectException) {
			String message = ex.getMessage();
			return (message == null || message.isBlank() || message.equalsIgnoreCase("Connection refused"))
					? "connection refused" : "could not connect (" + message + ")";
		}
		String message = ex.getMessage();
		return (message != null && !message.isBlank()) ? ex.getClass().getSimpleName() + ": " + message
				: ex.getClass().getSimpleName();
	}

	private static String human(Duration duration) {
		if (duration.toSeconds() >= 60 && duration.toSeconds() % 60 == 0) {
			return duration.toMinutes() + "m";
		}
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

	// A window in the queue and its retry state; guarded by the queue's lock.
	private static final class Pending {

		private final QueuedWindow window;

		private int attempts;

		private long notBeforeNanos;

		private boolean settled;

		private Pending(QueuedWindow window) {
			this.window = window;
			this.notBeforeNanos = window.queuedNanos();
		}

	}

}
