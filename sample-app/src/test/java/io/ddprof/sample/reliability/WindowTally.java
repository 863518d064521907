package io.ddprof.sample.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.ddprof.Profiler;
import io.ddprof.export.Exporter;
import io.ddprof.window.RecordedWindow;
import tools.jackson.databind.json.JsonMapper;

/**
 * An exporter that only counts: every window the profiler's dispatcher delivered, the
 * highest window sequence seen, and windows by snapshot. The profiler closes its
 * exporters in the order they were added, its own (history, local, summary, datadog)
 * before this one, so when this one closes the upload queue has settled every window:
 * that is when the final status is written, since the profiler's status is empty once
 * {@code stop} has returned. A profiler that falls back from async-profiler to JFR at
 * start closes its first session's exporters too, so the file is rewritten at every
 * close.
 */
final class WindowTally implements Exporter {

	private final Supplier<Profiler> profiler;

	private final String finalStatusFile;

	private final Map<String, Long> snapshots = new TreeMap<>();

	private long delivered;

	private long maxSequence;

	WindowTally(Supplier<Profiler> profiler, String finalStatusFile) {
		this.profiler = profiler;
		this.finalStatusFile = finalStatusFile;
	}

	@Override
	public String name() {
		return "probe-tally";
	}

	@Override
	public synchronized void export(RecordedWindow profile) {
		this.delivered++;
		this.maxSequence = Math.max(this.maxSequence, profile.sequence());
		this.snapshots.merge(profile.snapshot().tag(), 1L, Long::sum);
	}

	/**
	 * Windows delivered, highest sequence and windows by snapshot, as JSON-ready values.
	 */
	synchronized Map<String, Object> counts() {
		return Map.of("delivered", this.delivered, "maxSequence", this.maxSequence, "snapshots",
				new TreeMap<>(this.snapshots));
	}

	@Override
	public void close(long deadlineNanos) {
		Profiler profiler = this.profiler.get();
		// Spring also closes this bean when the context is destroyed, after the profiler
		// stopped
		// and its status emptied: only a close from a profiler's stop has counts to
		// write.
		if (this.finalStatusFile == null || !profiler.isRunning()) {
			return;
		}
		try {
			Map<String, Object> status = StatusJson.of(profiler.status(), counts());
			Path file = Path.of(this.finalStatusFile);
			Path partial = file.resolveSibling(file.getFileName() + ".part");
			Files.writeString(partial, JsonMapper.builder().build().writeValueAsString(status));
			// Each session closes its exporters; the last close, at shutdown, wins.
			Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException | RuntimeException ex) {
			// The test finds no file and says so; the application must stop regardless.
			System.err.println("probe: could not write the final status: " + ex);
		}
	}

}
