package io.ddprof.spring.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import io.ddprof.Profiler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link Profiler} once the application context has been refreshed and stops
 * it, delivering the last partial window, when the context closes. Spring owns shutdown:
 * the profiler registers no shutdown hook of its own.
 *
 * <p>
 * The stop runs on a thread of its own and reports back through the lifecycle callback,
 * so a flush that hangs (an unreachable agent, a full disk) holds the shutdown no longer
 * than {@code spring.lifecycle.timeout-per-shutdown-phase} (30s by default); the
 * profiler's own stop is bounded as well.
 */
public class ProfilerLifecycle implements SmartLifecycle {

	/**
	 * Phase of this lifecycle. Web servers stop at {@code DEFAULT_PHASE - 2048}, after
	 * their graceful shutdown at {@code DEFAULT_PHASE - 1024}, so the requests drained at
	 * shutdown are in the last window; Reactor Netty's shared resources, which a
	 * {@code WebClient} upload of that window needs, stop at phase 0, after this.
	 * Starting goes the other way round: the profiler records before the web server takes
	 * its first request.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(ProfilerLifecycle.class);

	private final Profiler profiler;

	private final AtomicBoolean running = new AtomicBoolean();

	/** Creates the lifecycle of the given profiler. */
	public ProfilerLifecycle(Profiler profiler) {
		this.profiler = profiler;
	}

	@Override
	public void start() {
		if (this.running.compareAndSet(false, true)) {
			try {
				this.profiler.start(false, false);
			}
			catch (RuntimeException ex) {
				// The profiler promises not to throw; should it, the application still
				// starts.
				logger.warn("ddprof: the profiler did not start: " + ex);
			}
		}
	}

	@Override
	public void stop() {
		if (this.running.compareAndSet(true, false)) {
			stopProfiler();
		}
	}

	@Override
	public void stop(Runnable callback) {
		if (!this.running.compareAndSet(true, false)) {
			callback.run();
			return;
		}
		Thread stopper = new Thread(() -> {
			try {
				stopProfiler();
			}
			finally {
				callback.run();
			}
		}, "ddprof-stop");
		// A flush still running when the shutdown timeout has passed must not keep the
		// JVM alive.
		stopper.setDaemon(true);
		stopper.start();
	}

	private void stopProfiler() {
		try {
			this.profiler.stop(true);
		}
		catch (RuntimeException ex) {
			logger.warn("ddprof: the profiler did not stop cleanly: " + ex);
		}
	}

	@Override
	public boolean isRunning() {
		// Whether this lifecycle started the profiler, not whether it is recording right
		// now: a
		// degraded profiler still has a window to flush and threads to end.
		return this.running.get();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
