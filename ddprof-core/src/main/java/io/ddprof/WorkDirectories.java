package io.ddprof;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ddprof.export.OwnerOnly;
import io.ddprof.problem.ProblemLog;

/**
 * The work directories of ddprof under {@code ddprof.temp-directory}: each run's own,
 * created under a name nobody can guess and readable by this user only, and those a
 * process that crashed left behind, removed at the next start. Only directories named as
 * ddprof names them, owned by this user, whose process is gone (or started after them:
 * process ids are reused, in containers above all) are removed; a link is never followed.
 */
final class WorkDirectories {

	private static final Pattern NAME = Pattern.compile("ddprof-(\\d+)(-.+)?");

	private WorkDirectories() {
	}

	/**
	 * Creates this run's work directory, {@code 0700}, after removing what crashed runs
	 * left.
	 * @throws IOException when the temp directory cannot be written
	 */
	static Path create(Path tempDirectory, ProblemLog problems) throws IOException {
		OwnerOnly.createDirectories(tempDirectory);
		if (!Files.isWritable(tempDirectory)) {
			throw new IOException("ddprof.temp-directory '" + tempDirectory + "' is not writable");
		}
		Path created = Files.createTempDirectory(tempDirectory, "ddprof-" + ProcessHandle.current().pid() + "-",
				OwnerOnly.directoryAttributes(tempDirectory));
		int removed = removeStale(tempDirectory, created);
		if (removed > 0) {
			problems.report("startup.stale-work-directory",
					"removed " + removed + " work " + ((removed == 1) ? "directory" : "directories") + " left in "
							+ tempDirectory + " by a ddprof process that did not stop");
		}
		return created;
	}

	/** Removes the stale work directories next to {@code own}; returns how many. */
	static int removeStale(Path tempDirectory, Path own) throws IOException {
		UserPrincipal me = Files.getOwner(own, LinkOption.NOFOLLOW_LINKS);
		int removed = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(tempDirectory, "ddprof-*")) {
			for (Path entry : entries) {
				if (!entry.equals(own) && isStale(entry, me)) {
					deleteTree(entry);
					removed++;
				}
			}
		}
		return removed;
	}

	private static boolean isStale(Path entry, UserPrincipal me) {
		Matcher name = NAME.matcher(entry.getFileName().toString());
		if (!name.matches()) {
			return false;
		}
		try {
			BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			// A link or a file under ddprof's name is someone else's doing: left alone.
			if (!attributes.isDirectory() || !me.equals(Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS))) {
				return false;
			}
			Instant made = attributes.lastModifiedTime().toInstant();
			Optional<Instant> started = ProcessHandle.of(Long.parseLong(name.group(1)))
				.flatMap((process) -> process.info().startInstant());
			return started.map((start) -> made.isBefore(start))
				.orElseGet(() -> ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty());
		}
		catch (IOException | NumberFormatException | SecurityException ex) {
			return false;
		}
	}

	private static void deleteTree(Path directory) {
		try {
			// walkFileTree follows no link: a link inside is deleted, not what it points
			// to.
			Files.walkFileTree(directory, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					Files.deleteIfExists(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException ex) {
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path dir, IOException ex) throws IOException {
					Files.deleteIfExists(dir);
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			// What is left stays for the next start or the operating system's temp
			// cleaning.
		}
	}

}
