package io.ddprof.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ddprof.context.JfrSpanEvent;
import io.ddprof.context.SpanTag;
import io.ddprof.window.RecordedWindow;
import jdk.jfr.Recording;
import one.profiler.AsyncProfiler;
import one.profiler.Span;

/**
 * Real windows recorded once per test JVM and shared by core's tests (the readers and
 * writers of this package, every exporter, the Datadog upload's compression): one by
 * async-profiler, one by the JDK Flight Recorder. Worker threads run requests
 * concurrently, each a root span with a nested span of a 128-bit trace, and do known work
 * in methods whose names say where they run: {@link #burnOutsideSpan},
 * {@link #burnInRootSpan}, {@link #burnInNestedSpan}, {@link #allocateInNestedSpan},
 * {@link #sleepInNestedSpan}, {@link #contendInNestedSpan} and, in the JDK recording,
 * {@link #blockInNativeInNestedSpan}. A test that hands a window over to code that
 * deletes it takes a copy of its own ({@link Window#copyTo}, {@link Window#copyFile}).
 */
public final class RecordedWindows {

	/** The endpoint of each worker's requests, by worker. */
	public static final String[] ENDPOINTS = { "GET /orders/{id}", "POST /carts", "GET /search" };

	/** The CPU sampling interval of the async-profiler window. */
	public static final long CPU_INTERVAL_NANOS = 1_000_000;

	/** How long each window records. */
	public static final Duration RECORDING = Duration.ofMillis(2500);

	/** The method that burns CPU inside each request's nested span. */
	public static final String NESTED_SPAN_METHOD = "burnInNestedSpan";

	private static final Object MONITOR = new Object();

	/**
	 * Keeps some sampled allocations alive until the recording stops, so that they show
	 * as live objects.
	 */
	private static final List<byte[]> retained = new ArrayList<>();

	private static volatile long sink;

	private static Window asyncProfiler;

	private static Window jdk;

	private RecordedWindows() {
	}

	/**
	 * The window recorded by async-profiler with CPU, wall, allocation, live and lock
	 * events.
	 */
	public static synchronized Window asyncProfiler() {
		if (asyncProfiler == null) {
			asyncProfiler = record(false);
		}
		return asyncProfiler;
	}

	/**
	 * The window recorded by the JDK Flight Recorder, spans written as
	 * {@code ddprof.Span} events.
	 */
	public static synchronized Window jdk() {
		if (jdk == null) {
			jdk = record(true);
		}
		return jdk;
	}

	private static Window record(boolean jdkRecorder) {
		try {
			Path file = Files.createTempFile("ddprof-format-", jdkRecorder ? "-jdk.jfr" : "-async-profiler.jfr");
			file.toFile().deleteOnExit();
			Map<Long, ExpectedSpan> spans = new ConcurrentHashMap<>();
			Map<String, Long> threadIds = new ConcurrentHashMap<>();
			Recording recording = null;
			AsyncProfiler profiler = null;
			Instant start = Instant.now();
			if (jdkRecorder) {
				recording = new Recording();
				recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
				recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
				recording.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s");
				recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofMillis(1));
				recording.enable("jdk.ActiveSetting");
				recording.enable(JfrSpanEvent.class);
				recording.setDestination(file);
				recording.start();
			}
			else {
				profiler = AsyncProfiler.getInstance();
				profiler.execute("start,event=cpu,interval=1ms,wall=5ms,alloc=64k,live,lock=1ms,jfr,file=" + file);
			}
			try (ServerSocket idle = new ServerSocket(0)) {
				idle.setSoTimeout(3);
				long end = System.nanoTime() + RECORDING.toNanos();
				List<Thread> workers = new ArrayList<>();
				for (int t = 0; t < ENDPOINTS.length; t++) {
					Worker worker = new Worker(t, end, jdkRecorder, spans, idle);
					Thread thread = new Thread(worker, "worker-" + t);
					threadIds.put(thread.getName(), thread.getId());
					workers.add(thread);
					thread.start();
				}
				for (Thread worker : workers) {
					worker.join();
				}
			}
			if (jdkRecorder) {
				recording.stop();
				recording.close();
			}
			else {
				profiler.execute("stop");
			}
			Instant end = Instant.now();
			synchronized (retained) {
				retained.clear();
			}
			return new Window(file, jdkRecorder ? "jfr" : "async-profiler", start, end, Map.copyOf(spans),
					Map.copyOf(threadIds));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static long spin(long nanos) {
		long end = System.nanoTime() + nanos;
		long x = 0;
		while (System.nanoTime() < end) {
			for (int i = 0; i < 1000; i++) {
				x += (i * 31L) ^ (x >>> 3);
			}
		}
		return x;
	}

	static void burnOutsideSpan() {
		sink += spin(1_000_000);
	}

	static void burnInRootSpan() {
		sink += spin(2_000_000);
	}

	static void burnInNestedSpan() {
		sink += spin(2_000_000);
	}

	static void allocateInNestedSpan() {
		for (int i = 0; i < 16; i++) {
			byte[] bytes = new byte[16 * 1024];
			sink += bytes.length;
			if (i == 0) {
				synchronized (retained) {
					retained.add(bytes);
				}
			}
		}
	}

	static void sleepInNestedSpan() throws InterruptedException {
		Thread.sleep(6);
	}

	static void contendInNestedSpan() {
		synchronized (MONITOR) {
			sink += spin(3_000_000);
		}
	}

	static void blockInNativeInNestedSpan(ServerSocket idle) throws IOException {
		try {
			idle.accept().close();
		}
		catch (SocketTimeoutException expected) {
			// Nobody connects: the point is the time spent waiting in native code.
		}
	}

	/** One worker thread: requests in a loop until the deadline. */
	private record Worker(int index, long end, boolean jdkRecorder, Map<Long, ExpectedSpan> spans,
			ServerSocket idle) implements Runnable {

		@Override
		public void run() {
			String thread = Thread.currentThread().getName();
			String endpoint = ENDPOINTS[this.index];
			try {
				for (long request = 0; System.nanoTime() < this.end; request++) {
					long root = (this.index + 1) * 1_000_000L + request * 2;
					long nested = root + 1;
					String traceId = String.format("%016x%016x", this.index + 1, request);
					this.spans.put(root, new ExpectedSpan(traceId, root, endpoint, thread, false));
					this.spans.put(nested, new ExpectedSpan(traceId, root, endpoint, thread, true));
					burnOutsideSpan();
					Scope rootScope = open();
					burnInRootSpan();
					Scope nestedScope = open();
					burnInNestedSpan();
					allocateInNestedSpan();
					sleepInNestedSpan();
					contendInNestedSpan();
					if (this.jdkRecorder) {
						blockInNativeInNestedSpan(this.idle);
					}
					nestedScope.close(SpanTag.scope(traceId, nested, root));
					rootScope.close(SpanTag.scope(traceId, root, root));
					open().close(SpanTag.endpoint(root, "servlet.request", endpoint));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private Scope open() {
			if (this.jdkRecorder) {
				JfrSpanEvent event = new JfrSpanEvent();
				event.begin();
				return (tag) -> {
					event.tag(tag);
					event.commit();
				};
			}
			long start = Span.start();
			return (tag) -> Span.end(start, tag);
		}

	}

	/** An open span interval, written when closed. */
	private interface Scope {

		void close(String tag);

	}

	/**
	 * What a span should be labelled with.
	 *
	 * @param traceId the trace id
	 * @param localRootSpanId the root span of its request
	 * @param endpoint the endpoint of its request
	 * @param thread the name of the thread that ran it
	 * @param nested whether it is the nested span rather than the root span
	 */
	public record ExpectedSpan(String traceId, long localRootSpanId, String endpoint, String thread, boolean nested) {
	}

	/**
	 * A recorded window and what the workers did in it.
	 *
	 * @param file the JFR file, shared by every test: read it, never hand it over
	 * @param engine the engine that recorded it, as {@link RecordedWindow#engine()} names
	 * it
	 * @param start when the recording started
	 * @param end when it stopped
	 * @param spans the expected labels of every span, by span id
	 * @param threadIds the Java thread id of each worker, by thread name
	 */
	public record Window(Path file, String engine, Instant start, Instant end, Map<Long, ExpectedSpan> spans,
			Map<String, Long> threadIds) {

		/** The window's samples as ddprof reads them. */
		public Samples read() {
			try {
				return ProfileReader.read(this.file);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * A copy of the window in {@code directory} as periodic window {@code sequence},
		 * as the window rotation hands one over to its consumers.
		 */
		public RecordedWindow copyTo(Path directory, long sequence) {
			Path copy = copyFile(directory.resolve("window-" + sequence + ".jfr"));
			return new RecordedWindow(sequence, this.start, this.end, this.engine, copy,
					RecordedWindow.Snapshot.PERIODIC, 0);
		}

		/** A copy of the window's file at {@code target}, for code that deletes it. */
		public Path copyFile(Path target) {
			try {
				return Files.copy(this.file, target);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
