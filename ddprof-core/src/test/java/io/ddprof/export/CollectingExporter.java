package io.ddprof.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddprof.window.RecordedWindow;

/**
 * Keeps a copy of every window it receives, with the window's metadata: what a test reads
 * after the profiler has deleted its own file. Shared with the Spring module's tests
 * through this module's test-jar.
 */
public final class CollectingExporter implements Exporter {

	private final Path directory;

	private final List<RecordedWindow> windows = new CopyOnWriteArrayList<>();

	/** Keeps the copies in {@code directory}. */
	public CollectingExporter(Path directory) {
		this.directory = directory;
	}

	@Override
	public String name() {
		return "collecting";
	}

	@Override
	public void export(RecordedWindow profile) throws IOException {
		Path copy = this.directory.resolve("collected-" + profile.sequence() + ".jfr");
		Files.copy(profile.jfr(), copy);
		this.windows.add(new RecordedWindow(profile.sequence(), profile.start(), profile.end(), profile.engine(), copy,
				profile.snapshot(), profile.seamNanos()));
	}

	/** The windows received so far, each pointing at its copy. */
	public List<RecordedWindow> windows() {
		return this.windows;
	}

	/** The copies of the windows received so far, in order. */
	public List<Path> files() {
		return this.windows.stream().map(RecordedWindow::jfr).toList();
	}

}
