package io.ddprof.export;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.ddprof.window.RecordedWindow;

/**
 * Keeps each window as a JFR file in {@code ddprof.local.directory}, named by service,
 * window start and sequence, deleting the oldest beyond {@code ddprof.local.max-size},
 * the windows earlier runs left there included. The embedded default: with no agent,
 * profiles still appear where the user can open them. The directory, when ddprof creates
 * it, and the files are readable by this user only.
 */
public final class LocalDirectoryExporter implements Exporter {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final long PID = ProcessHandle.current().pid();

	/**
	 * What {@link #export} names a window: service, start, process id, sequence,
	 * snapshot.
	 */
	private static final Pattern WINDOW_FILE = Pattern.compile(".+-\\d{8}T\\d{6}Z-\\d+-\\d+-[a-z_]+\\.jfr");

	private final WindowStore store;

	private final String service;

	/** An exporter writing into {@code directory}, holding at most {@code maxBytes}. */
	public LocalDirectoryExporter(Path directory, long maxBytes, String service) {
		this.store = new WindowStore(directory, Integer.MAX_VALUE, maxBytes);
		this.service = service.replaceAll("[^A-Za-z0-9._-]", "_");
		try {
			this.store.adopt(earlierWindows(directory));
		}
		catch (IOException ex) {
			// Unreadable leftovers: the bound then holds for this run's windows, as
			// before.
		}
	}

	/**
	 * Window files of earlier runs (any service sharing the directory), oldest first;
	 * links are not counted.
	 */
	private static List<Path> earlierWindows(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
			for (Path entry : entries) {
				if (WINDOW_FILE.matcher(entry.getFileName().toString()).matches()
						&& Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
					files.add(entry);
				}
			}
		}
		Map<Path, FileTime> modified = new HashMap<>();
		for (Path file : files) {
			modified.put(file, Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS));
		}
		files.sort(Comparator.comparing((Path file) -> modified.get(file)).thenComparing(Comparator.naturalOrder()));
		return files;
	}

	@Override
	public String name() {
		return "local";
	}

	@Override
	public void export(RecordedWindow profile) throws IOException {
		// The process id keeps apart the windows of child JVMs sharing the directory.
		String fileName = this.service + "-" + TIME.format(profile.start()) + "-" + PID + "-" + profile.sequence() + "-"
				+ profile.snapshot().tag() + ".jfr";
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
	 *
	 * @param directory absolute path
	 * @param files window files there, those of earlier runs included
	 * @param bytes their total size
	 * @param deleted files deleted to stay under the size bound
	 */
	public record LocalStatus(String directory, int files, long bytes, long deleted) {
	}

}
