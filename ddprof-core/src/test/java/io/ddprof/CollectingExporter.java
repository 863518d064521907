package io.ddprof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddprof.export.Exporter;
import io.ddprof.window.Profile;

/** Keeps a copy of every window it receives, with the window's metadata. */
final class CollectingExporter implements Exporter {

	private final Path directory;

	private final List<Profile> windows = new CopyOnWriteArrayList<>();

	CollectingExporter(Path directory) {
		this.directory = directory;
	}

	@Override
	public String name() {
		return "collecting";
	}

	@Override
	public void export(Profile profile) throws IOException {
		Path copy = this.directory.resolve("collected-" + profile.sequence() + ".jfr");
		Files.copy(profile.jfr(), copy);
		this.windows.add(new Profile(profile.sequence(), profile.start(), profile.end(), profile.engine(), copy,
				profile.snapshot(), profile.seamNanos()));
	}

	List<Profile> windows() {
		return this.windows;
	}

	List<Path> files() {
		return this.windows.stream().map(Profile::jfr).toList();
	}

}
