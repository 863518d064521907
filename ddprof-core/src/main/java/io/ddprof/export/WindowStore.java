package io.ddprof.export;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.ddprof.window.RecordedWindow;
import org.jspecify.annotations.Nullable;

/**
 * A directory of window files bounded by count and total size, oldest deleted first.
 * Files are hard-linked from the window when the file system allows it and copied
 * otherwise, written under a temporary name and moved into place so that a reader never
 * sees half a file. Readers hold {@link #read} while they read, so that pruning never
 * deletes a file under them.
 */
public final class WindowStore {

	private final Path directory;

	private final int maxFiles;

	private final long maxBytes;

	private final Deque<Entry> entries = new ArrayDeque<>();

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	private long bytes;

	private long evicted;

	/**
	 * A store in {@code directory} holding at most {@code maxFiles} files and
	 * {@code maxBytes} bytes.
	 */
	public WindowStore(Path directory, int maxFiles, long maxBytes) {
		this.directory = directory;
		this.maxFiles = maxFiles;
		this.maxBytes = maxBytes;
	}

	/** The directory. */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Adds a window's file under {@code fileName}, then deletes the oldest files beyond
	 * the bounds. A window larger than the size bound on its own is not kept.
	 * @return the window as stored (its {@code jfr()} is the stored file), or
	 * {@code null} when not kept
	 */
	public @Nullable RecordedWindow add(RecordedWindow profile, String fileName) throws IOException {
		long size = Files.size(profile.jfr());
		if (size > this.maxBytes || this.maxFiles <= 0) {
			this.lock.writeLock().lock();
			try {
				this.evicted++;
			}
			finally {
				this.lock.writeLock().unlock();
			}
			return null;
		}
		OwnerOnly.createDirectories(this.directory);
		Path target = this.directory.resolve(fileName);
		Path partial = this.directory.resolve(fileName + ".part");
		Files.deleteIfExists(partial);
		try {
			Files.createLink(partial, profile.jfr());
		}
		catch (IOException | UnsupportedOperationException ex) {
			Files.copy(profile.jfr(), partial, StandardCopyOption.REPLACE_EXISTING);
		}
		try {
			Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException | FileAlreadyExistsException ex) {
			Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
		}
		// Profiles show the application's code and requests: only this user reads them.
		OwnerOnly.restrict(target);
		RecordedWindow stored = profile.withFile(target);
		List<Path> toDelete = new ArrayList<>();
		this.lock.writeLock().lock();
		try {
			this.entries.addLast(new Entry(target, stored, size));
			this.bytes += size;
			prune(toDelete);
			for (Path path : toDelete) {
				Files.deleteIfExists(path);
			}
		}
		finally {
			this.lock.writeLock().unlock();
		}
		return stored;
	}

	/**
	 * Counts files already in the directory (an earlier run's), oldest first, within the
	 * bounds: the oldest are deleted as soon as the bounds are exceeded. They are not
	 * windows to read.
	 * @throws IOException when a file beyond the bounds cannot be deleted
	 */
	public void adopt(List<Path> files) throws IOException {
		List<Path> toDelete = new ArrayList<>();
		this.lock.writeLock().lock();
		try {
			for (Path file : files) {
				long size = Files.size(file);
				this.entries.addLast(new Entry(file, null, size));
				this.bytes += size;
			}
			prune(toDelete);
			for (Path path : toDelete) {
				Files.deleteIfExists(path);
			}
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	private void prune(List<Path> toDelete) {
		while (this.entries.size() > this.maxFiles || this.bytes > this.maxBytes) {
			Entry oldest = this.entries.removeFirst();
			this.bytes -= oldest.size;
			this.evicted++;
			toDelete.add(oldest.file);
		}
	}

	/**
	 * Reads the stored windows, oldest first, with pruning held off until {@code reader}
	 * returns.
	 */
	public <T> T read(Reader<T> reader) throws IOException {
		this.lock.readLock().lock();
		try {
			List<RecordedWindow> windows = new ArrayList<>(this.entries.size());
			this.entries.stream()
				.filter((entry) -> entry.profile != null)
				.forEach((entry) -> windows.add(entry.profile));
			return reader.read(windows);
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/** Windows and bytes held now, and windows deleted to stay within the bounds. */
	public Usage usage() {
		this.lock.readLock().lock();
		try {
			return new Usage(this.entries.size(), this.bytes, this.evicted);
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/** Deletes every stored file. */
	public void clear() {
		this.lock.writeLock().lock();
		try {
			for (Entry entry : this.entries) {
				Files.deleteIfExists(entry.file);
			}
			this.entries.clear();
			this.bytes = 0;
		}
		catch (IOException ex) {
			// Left for the operating system's temp cleaning; nothing else refers to them.
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/** Reads stored windows while pruning is held off. */
	@FunctionalInterface
	public interface Reader<T> {

		/** Reads the windows, oldest first. */
		T read(List<RecordedWindow> windows) throws IOException;

	}

	/** What a store holds. */
	public record Usage(int windows, long bytes, long evicted) {
	}

	private record Entry(Path file, @Nullable RecordedWindow profile, long size) {
	}

}
