package io.ddprof.export;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories ({@code 0700}) and files ({@code 0600}) that only the user running the
 * profiler can read: profiles hold stack traces, thread names and span names of the
 * application, and the machine may be shared. Where the file system has no POSIX
 * permissions, what it gives.
 */
public final class OwnerOnly {

	private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

	private OwnerOnly() {
	}

	/**
	 * Creates {@code directory} and the parents it lacks, each one created here
	 * {@code 0700}; those already there keep their permissions (the user chose them).
	 * @throws IOException when it cannot be created, or something other than a directory
	 * is there
	 */
	public static Path createDirectories(Path directory) throws IOException {
		Path absolute = directory.toAbsolutePath();
		if (Files.isDirectory(absolute)) {
			return directory;
		}
		Path parent = absolute.getParent();
		if (parent != null) {
			createDirectories(parent);
		}
		try {
			if (isPosix(absolute)) {
				Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY));
			}
			else {
				Files.createDirectory(absolute);
			}
		}
		catch (FileAlreadyExistsException ex) {
			if (!Files.isDirectory(absolute)) {
				throw ex;
			}
		}
		return directory;
	}

	/** Makes {@code file} readable and writable by its owner only. */
	public static void restrict(Path file) throws IOException {
		PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
				LinkOption.NOFOLLOW_LINKS);
		if (view != null) {
			view.setPermissions(FILE);
		}
	}

	/** The attribute that creates a directory {@code 0700}, where permissions exist. */
	public static FileAttribute<?>[] directoryAttributes(Path where) {
		return isPosix(where) ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(DIRECTORY) }
				: new FileAttribute<?>[0];
	}

	private static boolean isPosix(Path path) {
		return path.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

}
