package io.ddprof.export.upload;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The directory under {@code ddprof.temp-directory} where one backend's windows wait for their
 * {@link UploadQueue}, one file each, so that waiting windows never sit on the heap.
 */
public final class SpoolDirectory {

	private final Path directory;

	private final Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(Instant.EPOCH);

	private boolean checked;

	/** The directory {@code ddprof-<pid>/<name>} under {@code tempDirectory}; created on first use. */
	public SpoolDirectory(Path tempDirectory, String name) {
		this.directory = tempDirectory.resolve("ddprof-" + ProcessHandle.current().pid()).resolve(name);
	}

	/** The directory. */
	public Path path() {
		return this.directory;
	}

	/**
	 * A new, not yet existing file for window {@code sequence}, ending in {@code suffix}. The
	 * directory is created if needed; on first use, files older than this JVM are deleted.
	 */
	public Path newFile(long sequence, String suffix) throws IOException {
		Files.createDirectories(this.directory);
		if (!this.checked) {
			this.checked = true;
			deleteLeftovers();
		}
		return this.directory.resolve("window-" + sequence + "-"
				+ Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + suffix);
	}

	/** Deletes the directory if it is empty; throws only for a reason other than files left in it. */
	public void deleteIfEmpty() throws IOException {
		try {
			Files.deleteIfExists(this.directory);
		}
		catch (DirectoryNotEmptyException ex) {
			// another exporter in this JVM still has windows there
		}
	}

	/** Deletes {@code file} if it exists, ignoring failures: it is in our temporary directory. */
	public static void deleteQuietly(Path file) {
		if (file != null) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// nothing more to do
			}
		}
	}

	// The directory is per process id, and containers reuse ids: files older than this JVM are
	// leftovers of an earlier process and would otherwise stay forever.
	private void deleteLeftovers() throws IOException {
		FileTime started = FileTime.from(this.jvmStart);
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory)) {
			for (Path file : files) {
				if (Files.getLastModifiedTime(file).compareTo(started) < 0) {
					deleteQuietly(file);
				}
			}
		}
	}

}
