package io.ddprof.window;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link RotationTimer} and {@link Clock} that stand still until the test advances
 * them: each step falls due at its own instant of this clock and runs on the test's
 * thread, in order, while {@link #advance} passes that instant. A test of the rotation
 * drives time with it instead of sleeping through periods.
 */
public final class ManualTimer implements RotationTimer {

	private final Instant origin = Instant.parse("2026-01-01T00:00:00Z");

	private final List<Step> steps = new ArrayList<>();

	private volatile Duration elapsed = Duration.ZERO;

	private boolean cancelled;

	/** The time of this timer: the origin plus every advance so far. */
	public Clock clock() {
		return new Clock() {

			@Override
			public Instant instant() {
				return ManualTimer.this.origin.plus(ManualTimer.this.elapsed);
			}

			@Override
			public ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(ZoneId zone) {
				throw new UnsupportedOperationException("a test clock is in UTC");
			}

		};
	}

	/**
	 * Moves time on by {@code duration}, running every step that falls due meanwhile, in
	 * order.
	 */
	public void advance(Duration duration) {
		Duration target = this.elapsed.plus(duration);
		while (true) {
			Step next;
			synchronized (this) {
				next = this.cancelled ? null
						: this.steps.stream()
							.filter((step) -> step.due.compareTo(target) <= 0)
							.min(Comparator.comparing((Step step) -> step.due))
							.orElse(null);
				if (next == null) {
					this.elapsed = target;
					return;
				}
				this.elapsed = next.due;
				this.steps.remove(next);
			}
			next.run.run();
			synchronized (this) {
				if (next.period != null && !this.cancelled) {
					this.steps.add(new Step(next.due.plus(next.period), next.period, next.run));
				}
			}
		}
	}

	@Override
	public synchronized void once(Duration delay, Runnable step) {
		this.steps.add(new Step(this.elapsed.plus(delay), null, step));
	}

	@Override
	public synchronized void atFixedRate(Duration first, Duration period, Runnable step) {
		this.steps.add(new Step(this.elapsed.plus(first), period, step));
	}

	// Steps take no time on this clock: a fixed delay and a fixed rate fall due alike.
	@Override
	public synchronized void withFixedDelay(Duration first, Duration delay, Runnable step) {
		this.steps.add(new Step(this.elapsed.plus(first), delay, step));
	}

	@Override
	public synchronized void cancel() {
		this.cancelled = true;
		this.steps.clear();
	}

	private record Step(Duration due, Duration period, Runnable run) {
	}

}
