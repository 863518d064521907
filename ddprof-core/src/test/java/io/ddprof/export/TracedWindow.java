package io.ddprof.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.ddprof.context.SpanTag;
import io.ddprof.window.RecordedWindow;
import one.profiler.AsyncProfiler;
import one.profiler.Span;

/**
 * A real async-profiler window (CPU, wall, allocation and lock) in which one thread burns
 * CPU in {@link #burnInTracedRequest} inside a span of a known 128-bit trace, recorded
 * once per test JVM and shared by the exporter tests (every backend's, the Datadog
 * upload's included). Each test gets its own copy of the file.
 */
public final class TracedWindow {

	/** The trace's id, 128 bits as the OpenTelemetry tracer makes them. */
	public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	/** The span the work runs in. */
	public static final long SPAN_ID = 0x00f067aa0ba902b7L;

	/** The local root span of the request. */
	public static final long ROOT_SPAN_ID = 0x1f2e3d4c5b6a7988L;

	/** The request's endpoint. */
	public static final String ENDPOINT = "GET /orders/{id}";

	/** The method the workload burns CPU in. */
	public static final String METHOD = "burnInTracedRequest";

	private static Path recorded;

	private static Instant start;

	private static Instant end;

	private static volatile long sink;

	/**
	 * Keeps each array reachable for a moment, so that the JIT cannot scalar-replace the
	 * allocation.
	 */
	private static volatile Object allocationSink;

	private TracedWindow() {
	}

	/** A copy of the recorded window in {@code directory}, as window {@code sequence}. */
	public static RecordedWindow copyTo(Path directory, long sequence) {
		try {
			Path file = Files.copy(record(), directory.resolve("traced-" + sequence + ".jfr"));
			return new RecordedWindow(sequence, start, end, "async-profiler", file, RecordedWindow.Snapshot.PERIODIC,
					0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A copy of the recorded window's file at {@code target}, as the window rotation
	 * would hand it over.
	 */
	public static Path copyFile(Path target) {
		try {
			return Files.copy(record(), target);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static synchronized Path record() throws IOException {
		if (recorded == null) {
			Path file = Files.createTempFile("ddprof-traced-", ".jfr");
			file.toFile().deleteOnExit();
			AsyncProfiler profiler = AsyncProfiler.getInstance();
			start = Instant.now();
			profiler.execute("start,event=cpu,interval=1ms,wall=5ms,alloc=64k,lock=1ms,jfr,file=" + file);
			long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
			while (System.nanoTime() < deadline) {
				long root = Span.start();
				long span = Span.start();
				burnInTracedRequest();
				Span.end(span, SpanTag.scope(TRACE_ID, SPAN_ID, ROOT_SPAN_ID));
				Span.end(root, SpanTag.scope(TRACE_ID, ROOT_SPAN_ID, ROOT_SPAN_ID));
				Span.end(Span.start(), SpanTag.endpoint(ROOT_SPAN_ID, "servlet.request", ENDPOINT));
			}
			profiler.execute("stop");
			end = Instant.now();
			recorded = file;
		}
		return recorded;
	}

	static void burnInTracedRequest() {
		long stop = System.nanoTime() + 20_000_000;
		long x = 0;
		while (System.nanoTime() < stop) {
			for (int i = 0; i < 1000; i++) {
				x += (i * 31L) ^ (x >>> 3);
			}
			byte[] bytes = new byte[1024];
			allocationSink = bytes;
		}
		sink += x;
	}

}
