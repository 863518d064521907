package io.ddprof.window;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the rotation's timed steps: the first start after a delay, a cut every period, the
 * replans between cuts. In production a thread of its own ({@code ddprof-recorder}); a
 * test supplies one that it advances by hand, so that it drives time instead of waiting
 * for it.
 */
public interface RotationTimer {

	/** Runs {@code step} once, after {@code delay}. */
	void once(Duration delay, Runnable step);

	/**
	 * Runs {@code step} after {@code first}, then every {@code period} from that start.
	 */
	void atFixedRate(Duration first, Duration period, Runnable step);

	/** Runs {@code step} after {@code first}, then {@code delay} after each run ends. */
	void withFixedDelay(Duration first, Duration delay, Runnable step);

	/** Runs no step from now on, and interrupts the one running, if any. */
	void cancel();

	/**
	 * A timer on a daemon thread of its own, {@code ddprof-recorder}: the production
	 * timer.
	 */
	static RotationTimer ownThread() {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "ddprof-recorder");
			thread.setDaemon(true);
			return thread;
		});
		return new RotationTimer() {

			@Override
			public void once(Duration delay, Runnable step) {
				scheduler.schedule(step, delay.toNanos(), TimeUnit.NANOSECONDS);
			}

			@Override
			public void atFixedRate(Duration first, Duration period, Runnable step) {
				scheduler.scheduleAtFixedRate(step, first.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
			}

			@Override
			public void withFixedDelay(Duration first, Duration delay, Runnable step) {
				scheduler.scheduleWithFixedDelay(step, first.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS);
			}

			@Override
			public void cancel() {
				scheduler.shutdownNow();
			}

		};
	}

}
