package io.ddprof.export.upload;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import io.ddprof.export.OwnerOnly;
import org.jspecify.annotations.Nullable;

/**
 * The directory where one backend's windows wait for their {@link UploadQueue}, one file
 * each, so that waiting windows never sit on the heap. It belongs to this run only
 * ({@code 0700}): the one the profiler gives in its work directory, or else one created
 * under {@code ddprof.temp-directory} with a name nobody can guess.
 */
public final class SpoolDirectory {

	private final Path tempDirectory;

	private final String name;

	private volatile @Nullable Path directory;

	/**
	 * The spool directory of backend {@code name}; created on first use.
	 * @param tempDirectory {@code ddprof.temp-directory}
	 * @param name the backend's name, part of the directory's name when it makes its own
	 * @param directory the directory to use, which ddprof owns (the profiler passes one
	 * in its work directory), or {@code null} for one of its own under
	 * {@code tempDirectory}
	 */
	public SpoolDirectory(Path tempDirectory, String name, @Nullable Path directory) {
		this.tempDirectory = tempDirectory;
		this.name = name;
		this.directory = directory;
	}

	/** The directory, or {@code null} before the first window when it makes its own. */
	public @Nullable Path path() {
		return this.directory;
	}

	/**
	 * A new, not yet existing file for window {@code sequence}, ending in {@code suffix}.
	 * The directory is created if needed.
	 */
	public Path newFile(long sequence, String suffix) throws IOException {
		return prepare().resolve("window-" + sequence + "-"
				+ Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + suffix);
	}

	/**
	 * Deletes the directory if it is empty; throws only for a reason other than files
	 * left in it.
	 */
	public void deleteIfEmpty() throws IOException {
		Path spooled = this.directory;
		try {
			if (spooled != null && Files.isDirectory(spooled, LinkOption.NOFOLLOW_LINKS)) {
				Files.delete(spooled);
			}
		}
		catch (DirectoryNotEmptyException ex) {
			// another exporter in this JVM still has windows there
		}
	}

	/**
	 * Deletes {@code file} if it exists, ignoring failures: it is in our temporary
	 * directory.
	 */
	public static void deleteQuietly(@Nullable Path file) {
		if (file != null) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// nothing more to do
			}
		}
	}

	// A directory of this run only: a name in a shared temp directory that a local user
	// could
	// guess could be created or linked by them first.
	private Path prepare() throws IOException {
		Path spool = this.directory;
		if (spool == null) {
			OwnerOnly.createDirectories(this.tempDirectory);
			spool = Files.createTempDirectory(this.tempDirectory,
					"ddprof-" + ProcessHandle.current().pid() + "-" + this.name + "-",
					OwnerOnly.directoryAttributes(this.tempDirectory));
			this.directory = spool;
		}
		else {
			OwnerOnly.createDirectories(spool);
		}
		return spool;
	}

}
