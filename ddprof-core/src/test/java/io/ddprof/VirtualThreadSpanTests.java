package io.ddprof;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.SpanSink;
import io.ddprof.context.SpanTag;
import io.ddprof.export.CollectingExporter;
import io.ddprof.format.ProfileReader;
import io.ddprof.format.Samples;
import io.ddprof.format.SpanLabels;
import io.ddprof.format.StackFrame;
import io.ddprof.profile.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests served on virtual threads, each burning CPU in its own method, blocking in the
 * middle (so that its virtual thread unmounts and may resume on another carrier) and
 * burning again: their samples carry their own request's span, or (with async-profiler,
 * which samples the carrier) none, but never another request's.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadSpanTests {

	private static final String[] KINDS = { "Alpha", "Beta", "Gamma", "Delta" };

	private static final AtomicLong ids = new AtomicLong(1000);

	static volatile long sink;

	@TempDir
	Path temp;

	@Test
	void autoRecordsWithTheJdkFlightRecorderAndTiesEachSampleToItsOwnRequest() throws Exception {
		Run run = run(EngineChoice.AUTO);
		assertThat(run.engine).isEqualTo("jfr");
		for (EventType type : List.of(EventType.CPU, EventType.WALL)) {
			for (String kind : KINDS) {
				Tally tally = run.tallies.get(type).get(kind);
				assertThat(tally.total()).as("%s samples of burn%s", type, kind).isGreaterThanOrEqualTo(20);
				assertThat(tally.right).as("%s samples of burn%s with their own span: %s", type, kind, tally)
					.isGreaterThanOrEqualTo((long) Math.ceil(tally.total() * 0.95));
				assertThat(tally.wrong).as("%s samples of burn%s with another request's span: %s", type, kind, tally)
					.isLessThanOrEqualTo(tally.total() / 100);
			}
		}
	}

	@Test
	void asyncProfilerTiesNoSampleOfAVirtualThreadToAnotherRequest() throws Exception {
		Run run = run(EngineChoice.ASYNC_PROFILER);
		assertThat(run.engine).isEqualTo("async-profiler");
		for (String kind : KINDS) {
			Tally tally = run.tallies.get(EventType.CPU).get(kind);
			assertThat(tally.total()).as("CPU samples of burn%s", kind).isGreaterThanOrEqualTo(20);
			// The carrier's samples cannot be told apart by request: none carries a span.
			assertThat(tally.wrong).as("CPU samples of burn%s with another request's span: %s", kind, tally).isZero();
		}
	}

	private Run run(EngineChoice engine) throws Exception {
		CollectingExporter collected = new CollectingExporter(Files.createDirectories(this.temp.resolve("collected")));
		Profiler profiler = new Profiler(ProfilerSettings.builder()
			.service("virtual-thread-span-tests")
			.engine(engine)
			.uploadEnabled(false)
			.uploadPeriod(Duration.ofSeconds(30))
			.cpuInterval(Duration.ofMillis(3))
			.wallInterval(Duration.ofMillis(5))
			.tempDirectory(this.temp)
			.build());
		profiler.attachTracer();
		profiler.servedOnVirtualThreads(true);
		profiler.addExporter(collected);
		profiler.start(false, false);
		String engineName = profiler.status().engine();
		Map<Long, String> kindBySpan = new ConcurrentHashMap<>();
		ExecutorService requests = newVirtualThreadPerTaskExecutor();
		try {
			for (int round = 0; round < 6; round++) {
				List<Future<?>> futures = new ArrayList<>();
				for (int k = 0; k < KINDS.length; k++) {
					int kind = k;
					futures.add(requests.submit(() -> serve(profiler.spanSink(), kind, kindBySpan)));
				}
				for (Future<?> future : futures) {
					future.get();
				}
			}
		}
		finally {
			requests.shutdown();
		}
		profiler.stop(true);
		Samples samples = ProfileReader.readWindows(collected.windows());
		Map<EventType, Map<String, Tally>> tallies = new EnumMap<>(EventType.class);
		for (int i = 0; i < samples.size(); i++) {
			String kind = burnedKind(samples.stack(i));
			if (kind == null) {
				continue;
			}
			Tally tally = tallies.computeIfAbsent(samples.type(i), (type) -> new ConcurrentHashMap<>())
				.computeIfAbsent(kind, (k) -> new Tally());
			SpanLabels span = samples.span(i);
			if (span == null) {
				tally.unlabelled++;
			}
			else if (kind.equals(kindBySpan.get(span.spanId())) && ("GET /" + kind).equals(span.endpoint())) {
				tally.right++;
			}
			else {
				tally.wrong++;
			}
		}
		return new Run(engineName, tallies);
	}

	private static Object serve(SpanSink spans, int kind, Map<Long, String> kindBySpan) throws InterruptedException {
		long spanId = ids.incrementAndGet();
		kindBySpan.put(spanId, KINDS[kind]);
		long start = spans.begin();
		spans.threadEntered();
		spans.mark(SpanTag.endpoint(spanId, "servlet.request", "GET /" + KINDS[kind]));
		burn(kind, Duration.ofMillis(60));
		// Unmounts the virtual thread: the rest may run on another carrier.
		Thread.sleep(20);
		burn(kind, Duration.ofMillis(60));
		spans.end(start, SpanTag.scope(Long.toHexString(spanId), spanId, spanId));
		spans.threadLeft();
		return null;
	}

	private static String burnedKind(List<StackFrame> stack) {
		for (StackFrame frame : stack) {
			if (frame.className().equals(VirtualThreadSpanTests.class.getName())
					&& frame.methodName().startsWith("burn") && frame.methodName().length() > 4) {
				return frame.methodName().substring(4);
			}
		}
		return null;
	}

	private static void burn(int kind, Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		switch (kind) {
			case 0 -> burnAlpha(end);
			case 1 -> burnBeta(end);
			case 2 -> burnGamma(end);
			default -> burnDelta(end);
		}
	}

	private static void burnAlpha(long end) {
		sink += spin(end);
	}

	private static void burnBeta(long end) {
		sink += spin(end);
	}

	private static void burnGamma(long end) {
		sink += spin(end);
	}

	private static void burnDelta(long end) {
		sink += spin(end);
	}

	private static long spin(long end) {
		long x = 0;
		while (System.nanoTime() < end) {
			for (int i = 0; i < 1000; i++) {
				x += (i * 31L) ^ x;
			}
		}
		return x;
	}

	/** Built for Java 17: the Java 21 factory is looked up where the test runs. */
	static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
		return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
	}

	private record Run(String engine, Map<EventType, Map<String, Tally>> tallies) {
	}

	private static final class Tally {

		long right;

		long wrong;

		long unlabelled;

		long total() {
			return this.right + this.wrong + this.unlabelled;
		}

		@Override
		public String toString() {
			return this.right + " right, " + this.wrong + " wrong, " + this.unlabelled + " unlabelled";
		}

	}

}
