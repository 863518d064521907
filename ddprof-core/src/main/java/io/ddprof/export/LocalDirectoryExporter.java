package io.ddprof.export;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.ddprof.window.Profile;

/**
 * Keeps each window as a JFR file in {@code ddprof.local.directory}, named by service, window
 * start and sequence, deleting the oldest beyond {@code ddprof.local.max-size}. The embedded
 * default: with no agent, profiles still appear where the user can open them.
 */
public final class LocalDirectoryExporter implements Exporter {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final long PID = ProcessHandle.current().pid();

	private final WindowStore store;

	private final String service;

	/** An exporter writing into {@code directory}, holding at most {@code maxBytes}. */
	public LocalDirectoryExporter(Path directory, long maxBytes, String service) {
		this.store = new WindowStore(directory, Integer.MAX_VALUE, maxBytes);
		this.service = service.replaceAll("[^A-Za-z0-9._-]", "_");
	}

	@Override
	public String name() {
		return "local";
	}

	@Override
	public void export(Profile profile) throws IOException {
		// The process id keeps apart the windows of child JVMs sharing the directory.
		String fileName = this.service + "-" + TIME.format(profile.start()) + "-" + PID + "-" + profile.sequence()
				+ "-" + profile.snapshot().tag() + ".jfr";
		this.store.add(profile, fileName);
	}

	/** The directory and what it holds. */
	public LocalStatus status() {
		WindowStore.Usage usage = this.store.usage();
		return new LocalStatus(this.store.directory().toAbsolutePath().toString(), usage.windows(), usage.bytes(),
				usage.evicted());
	}

	/**
	 * The local directory's state.
	 * @param directory absolute path
	 * @param files window files written by this process and still there
	 * @param bytes their total size
	 * @param deleted files deleted to stay under the size bound
	 */
	public record LocalStatus(String directory, int files, long bytes, long deleted) {
	}

}
