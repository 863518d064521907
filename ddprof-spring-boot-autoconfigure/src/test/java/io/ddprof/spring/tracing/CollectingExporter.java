package io.ddprof.spring.tracing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddprof.export.Exporter;
import io.ddprof.window.RecordedWindow;

/** Keeps a copy of the JFR file of every window it receives. */
final class CollectingExporter implements Exporter {

	private final Path directory;

	private final List<Path> files = new CopyOnWriteArrayList<>();

	CollectingExporter(Path directory) {
		this.directory = directory;
	}

	@Override
	public String name() {
		return "collecting";
	}

	@Override
	public void export(RecordedWindow profile) throws IOException {
		this.files.add(Files.copy(profile.jfr(), this.directory.resolve("window-" + profile.sequence() + ".jfr")));
	}

	List<Path> files() {
		return this.files;
	}

}
