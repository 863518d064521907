package io.ddprof.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ddprof.Profiler;
import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.SpanSink;
import io.ddprof.context.SpanTag;
import io.ddprof.export.Exporter;
import io.ddprof.format.ProfileReader;
import io.ddprof.window.RecordedWindow;

/**
 * A fixture for the format benchmarks: windows recorded by the real profiler
 * (async-profiler, cpu, wall, alloc and lock) while worker threads run traced requests,
 * each a root span with a child span and an endpoint, until the windows hold at least the
 * wanted number of samples. The files are copies, kept under a temporary directory until
 * {@link #delete()}.
 */
final class RecordedWindows {

	private static final int WORKERS = 4;

	private static final Duration WINDOW = Duration.ofSeconds(2);

	// A guard: on a busy machine the samples come slower, never this slowly.
	private static final Duration MAX_RECORDING = Duration.ofSeconds(60);

	private final Path directory;

	private final List<Path> files;

	private final int samples;

	private RecordedWindows(Path directory, List<Path> files, int samples) {
		this.directory = directory;
		this.files = files;
		this.samples = samples;
	}

	/** Records windows until they hold at least {@code minimumSamples} samples. */
	static RecordedWindows record(int minimumSamples) throws IOException, InterruptedException {
		Path directory = Files.createTempDirectory("ddprof-benchmark-windows");
		Profiler profiler = new Profiler(ProfilerSettings.builder()
			.service("format-benchmark")
			.engine(EngineChoice.ASYNC_PROFILER)
			.cpuInterval(Duration.ofMillis(1))
			.wallInterval(Duration.ofMillis(5))
			.uploadEnabled(false)
			.uploadPeriod(Duration.ofHours(1))
			.tempDirectory(directory.resolve("temp"))
			.build());
		List<Path> files = new CopyOnWriteArrayList<>();
		// The window's file is gone once every exporter has seen it: an exporter of its
		// own keeps a copy.
		profiler.addExporter(new Exporter() {

			@Override
			public String name() {
				return "benchmark-fixture";
			}

			@Override
			public void export(RecordedWindow window) throws IOException {
				Path copy = directory.resolve("window-" + files.size() + ".jfr");
				Files.copy(window.jfr(), copy);
				files.add(copy);
			}

		});
		profiler.attachTracer();
		profiler.start(false, false);
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < WORKERS; i++) {
			Thread worker = new Thread(() -> serve(profiler.spanSink(), running), "benchmark-worker-" + i);
			worker.setDaemon(true);
			worker.start();
			workers.add(worker);
		}
		int samples = 0;
		try {
			long deadline = System.nanoTime() + MAX_RECORDING.toNanos();
			while (samples < minimumSamples) {
				if (System.nanoTime() > deadline) {
					throw new IOException("only " + samples + " samples in " + MAX_RECORDING.toSeconds() + "s");
				}
				Thread.sleep(WINDOW.toMillis());
				profiler.cutWindow().get(60, TimeUnit.SECONDS);
				samples = ProfileReader.read(files).size();
			}
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IOException("a window could not be cut", ex);
		}
		finally {
			running.set(false);
			for (Thread worker : workers) {
				worker.join();
			}
			profiler.stop(false);
		}
		return new RecordedWindows(directory, List.copyOf(files), samples);
	}

	private static void serve(SpanSink sink, AtomicBoolean running) {
		long request = 0;
		String[] endpoints = { "GET /orders/{id}", "POST /orders", "GET /customers/{id}" };
		while (running.get()) {
			request++;
			long root = Thread.currentThread().getId() << 32 | request;
			String traceId = String.format("%032x", root);
			sink.threadEntered();
			long rootStart = sink.begin();
			burn(200_000);
			long childStart = sink.begin();
			burn(200_000);
			sink.end(childStart, SpanTag.scope(traceId, root + 1, root));
			sink.end(rootStart, SpanTag.scope(traceId, root, root));
			sink.mark(SpanTag.endpoint(root, "servlet.request", endpoints[(int) (request % endpoints.length)]));
			sink.threadLeft();
		}
	}

	/** CPU work that allocates, so that cpu and alloc samples land inside the spans. */
	private static long burn(int iterations) {
		long sum = 0;
		for (int i = 0; i < iterations; i++) {
			sum += Long.numberOfTrailingZeros(i * 0x9E3779B97F4A7C15L);
			if (i % 4096 == 0) {
				sum += new long[256].length;
			}
		}
		return sum;
	}

	/** The window files, oldest first. */
	List<Path> files() {
		return this.files;
	}

	/** How many samples they hold. */
	int samples() {
		return this.samples;
	}

	/** Deletes the files. */
	void delete() throws IOException {
		try (var paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

}
