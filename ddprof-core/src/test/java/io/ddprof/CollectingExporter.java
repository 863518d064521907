package io.ddprof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddprof.export.Exporter;
import io.ddprof.window.RecordedWindow;

/** Keeps a copy of every window it receives, with the window's metadata. */
final class CollectingExporter implements Exporter {

	private final Path directory;

	private final List<RecordedWindow> windows = new CopyOnWriteArrayList<>();

	CollectingExporter(Path directory) {
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

	List<RecordedWindow> windows() {
		return this.windows;
	}

	List<Path> files() {
		return this.windows.stream().map(RecordedWindow::jfr).toList();
	}

}
