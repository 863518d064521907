package io.ddprof.problem;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Logs run-time problems at most once per problem class per interval (never a stack trace
 * for an expected fault) and keeps the most recent ones for status. Thread-safe.
 */
public final class ProblemLog {

	private static final Logger logger = System.getLogger("io.ddprof");

	private static final int RECENT = 20;

	private final Clock clock;

	private final Duration interval;

	private final Map<String, Instant> lastLogged = new ConcurrentHashMap<>();

	private final Map<String, Long> suppressed = new ConcurrentHashMap<>();

	private final Deque<Problem> recent = new ArrayDeque<>();

	private volatile Consumer<String> lines = (line) -> logger.log(Level.WARNING, line);

	/** A log that repeats a problem class at most every {@code interval}. */
	public ProblemLog(Clock clock, Duration interval) {
		this.clock = clock;
		this.interval = interval;
	}

	/** A log that repeats a problem class at most every five minutes. */
	public ProblemLog() {
		this(Clock.systemUTC(), Duration.ofMinutes(5));
	}

	/**
	 * Writes the lines to {@code lines} from now on instead of the {@code io.ddprof}
	 * {@link System.Logger}. That logger goes through {@code java.util.logging} unless
	 * the JVM was given another backend, and the JDK resets {@code java.util.logging} in
	 * a shutdown hook of its own (JDK-8161253): what happens while the profiler stops at
	 * SIGTERM, such as the last window failing to upload, would never be seen. The Spring
	 * module passes its application's own log.
	 */
	public void logTo(Consumer<String> lines) {
		this.lines = lines;
	}

	/**
	 * Reports a problem: logged as a warning unless the same {@code kind} was logged
	 * within the interval, and always kept among the recent problems.
	 * @param kind a stable name of the problem class, such as {@code upload.refused}
	 * @param message one line saying what happened and what to do
	 */
	public void report(String kind, String message) {
		Instant now = this.clock.instant();
		synchronized (this.recent) {
			this.recent.addFirst(new Problem(now, kind, message));
			while (this.recent.size() > RECENT) {
				this.recent.removeLast();
			}
		}
		Instant last = this.lastLogged.get(kind);
		if (last == null || !now.isBefore(last.plus(this.interval))) {
			this.lastLogged.put(kind, now);
			Long skipped = this.suppressed.remove(kind);
			String suffix = (skipped != null)
					? " (" + skipped + " similar in the last " + this.interval.toMinutes() + " min)" : "";
			this.lines.accept("ddprof: " + message + suffix);
		}
		else {
			this.suppressed.merge(kind, 1L, Long::sum);
		}
	}

	/** The most recent problems, newest first. */
	public List<Problem> recent() {
		synchronized (this.recent) {
			return new ArrayList<>(this.recent);
		}
	}

	/** One reported problem. */
	public record Problem(Instant time, String kind, String message) {
	}

}
