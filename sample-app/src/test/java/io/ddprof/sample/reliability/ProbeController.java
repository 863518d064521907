package io.ddprof.sample.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.sun.management.UnixOperatingSystemMXBean;
import io.ddprof.Profiler;
import io.ddprof.ProfilerStatus;
import io.ddprof.context.SpanSink;
import io.ddprof.context.SpanTag;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reliability tests' window into the sample's process: the profiler's status, the
 * process's heap after a full collection, its live threads and open file descriptors, and
 * two storms that run on the request thread: thousands of distinct endpoints and span ids
 * reported to the profiler's span sink as a tracing bridge would, and threads started and
 * ended at a high rate.
 */
@RestController
class ProbeController {

	/**
	 * Heap readings per vitals answer; with their spacing they span more than one 2 s
	 * window.
	 */
	private static final int HEAP_READINGS = 4;

	private static final Duration HEAP_SPACING = Duration.ofMillis(700);

	private final ObjectProvider<Profiler> profiler;

	private final WindowTally tally;

	private final AtomicLong endpoints = new AtomicLong();

	private final AtomicLong threads = new AtomicLong();

	// A provider: with ddprof.enabled=false there is no profiler, and the probe must not
	// stop the start.
	ProbeController(ObjectProvider<Profiler> profiler, WindowTally tally) {
		this.profiler = profiler;
		this.tally = tally;
	}

	@GetMapping("/probe/status")
	Map<String, Object> status() {
		Map<String, Object> status = StatusJson.of(this.profiler.getObject().status(), this.tally.counts());
		status.put("endpointsGenerated", this.endpoints.get());
		status.put("threadsGenerated", this.threads.get());
		return status;
	}

	@GetMapping("/probe/vitals")
	Map<String, Object> vitals() throws InterruptedException {
		Map<String, Object> vitals = new LinkedHashMap<>();
		vitals.put("heapAfterGc", retainedHeap());
		vitals.put("liveThreads", ManagementFactory.getThreadMXBean().getThreadCount());
		vitals.put("openFds", openFileDescriptors());
		// Threads by name without digits, so that a failed check shows which kind grew.
		Map<String, Integer> kinds = new TreeMap<>();
		Thread.getAllStackTraces()
			.keySet()
			.forEach((thread) -> kinds.merge(thread.getName().replaceAll("\\d+", "#"), 1, Integer::sum));
		vitals.put("threadKinds", kinds);
		return vitals;
	}

	/**
	 * Heap after a full collection, the least of a few taken {@link #HEAP_SPACING} apart.
	 * A single reading also counts whatever a thread is working on at that instant (the
	 * export thread reading a window holds tens of megabytes for a few hundred
	 * milliseconds); what leaks stays in every reading, so the least of them still grows
	 * with a leak.
	 */
	private static long retainedHeap() throws InterruptedException {
		long least = Long.MAX_VALUE;
		for (int i = 0; i < HEAP_READINGS; i++) {
			if (i > 0) {
				Thread.sleep(HEAP_SPACING.toMillis());
			}
			// Two collections with a pause: the first may leave finalizable or softly
			// reachable objects.
			System.gc();
			Thread.sleep(100);
			System.gc();
			least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		}
		return least;
	}

	/**
	 * Reports {@code count} spans, each the local root of its own trace with a random
	 * span id and an endpoint never seen before, each burning {@code millis} of CPU so
	 * that samples land in it.
	 */
	@GetMapping("/probe/spans")
	Map<String, Object> spans(@RequestParam int count, @RequestParam(defaultValue = "12") long millis) {
		SpanSink sink = this.profiler.getObject().spanSink();
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long work = 0;
		for (int i = 0; i < count; i++) {
			long spanId = random.nextLong();
			String traceId = Long.toHexString(random.nextLong()) + Long.toHexString(spanId);
			long start = sink.begin();
			sink.threadEntered();
			work += burn(millis);
			sink.end(start, SpanTag.scope(traceId, spanId, spanId));
			sink.mark(
					SpanTag.endpoint(spanId, "servlet.request", "GET /generated/" + this.endpoints.incrementAndGet()));
			sink.threadLeft();
		}
		return Map.of("spans", count, "work", work);
	}

	/**
	 * Starts {@code count} threads that each do a little work and end, and waits for all
	 * of them.
	 */
	@GetMapping("/probe/threads")
	Map<String, Object> threads(@RequestParam int count) throws InterruptedException {
		List<Thread> started = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			Thread thread = new Thread(() -> burn(1), "probe-churn-" + this.threads.incrementAndGet());
			thread.start();
			started.add(thread);
		}
		for (Thread thread : started) {
			thread.join();
		}
		return Map.of("threads", count);
	}

	/**
	 * Starts a second, plain-core profiler in this JVM next to the application's, reports
	 * its status and stops it.
	 */
	@GetMapping("/probe/second-profiler")
	Map<String, Object> secondProfiler() {
		Profiler second = new Profiler(
				this.profiler.getObject().settings().toBuilder().uploadEnabled(false).localDirectory(null).build());
		try {
			second.start(false, false);
			ProfilerStatus status = second.status();
			return Map.of("state", status.state().name(), "engine", status.engine(), "engineReason",
					status.engineReason(), "running", second.isRunning());
		}
		finally {
			second.stop(false);
		}
	}

	private static long burn(long millis) {
		long deadline = System.nanoTime() + millis * 1_000_000;
		long x = 1;
		while (System.nanoTime() < deadline) {
			for (int i = 0; i < 1000; i++) {
				x = x * 6364136223846793005L + 1442695040888963407L;
			}
		}
		return x;
	}

	/**
	 * Open file descriptors, less async-profiler's perf_events handles: it holds one per
	 * thread while it records and none while it is stopped (as it is between a failed
	 * window and the next period when the disk is full), so they say whether it records,
	 * not whether anything leaks; the threads they belong to are counted apart.
	 */
	private static long openFileDescriptors() {
		Path fds = Path.of("/proc/self/fd");
		if (Files.isDirectory(fds)) {
			try (Stream<Path> entries = Files.list(fds)) {
				return entries.filter((fd) -> !isPerfEvent(fd)).count();
			}
			catch (IOException ex) {
				// Counted below instead.
			}
		}
		// Every platform the tests run on is a Unix; -1 says "not known" elsewhere.
		return (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix)
				? unix.getOpenFileDescriptorCount() : -1;
	}

	private static boolean isPerfEvent(Path fd) {
		try {
			return Files.readSymbolicLink(fd).toString().equals("anon_inode:[perf_event]");
		}
		catch (IOException ex) {
			// Closed since it was listed (the listing's own descriptor, for one).
			return false;
		}
	}

}
