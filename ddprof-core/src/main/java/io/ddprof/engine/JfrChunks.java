package io.ddprof.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Finds complete chunks in a JFR file that is still being written, and copies them out. A
 * JFR file is a sequence of self-contained chunks, each starting with the magic
 * {@code FLR\0} and its size; async-profiler's {@code dump} closes the current chunk and
 * begins the next in the same file, so the chunks completed since the last window make a
 * valid JFR file on their own.
 */
final class JfrChunks {

	private static final int MAGIC = 0x464C5200;

	private static final int HEADER = 16;

	/** Where a chunk header holds the chunk's start, in nanoseconds since the epoch. */
	private static final int START_NANOS_OFFSET = 32;

	private JfrChunks() {
	}

	/**
	 * The end of the last complete chunk at or after {@code from}: a chunk is complete
	 * when its size is set and either the file ends right after it or the next chunk's
	 * header follows.
	 */
	static long completeEnd(Path file, long from) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			long size = channel.size();
			long offset = from;
			ByteBuffer header = ByteBuffer.allocate(HEADER);
			while (offset + HEADER <= size) {
				header.clear();
				channel.read(header, offset);
				header.flip();
				if (header.getInt(0) != MAGIC) {
					break;
				}
				long chunkSize = header.getLong(8);
				long next = offset + chunkSize;
				if (chunkSize < HEADER || next > size || (next < size && !magicAt(channel, next))) {
					break;
				}
				offset = next;
			}
			return offset;
		}
	}

	/**
	 * Copies the chunks of {@code source} that began at {@code startEpochNanos} or later
	 * into a new file {@code target}; writes nothing when there are none. A stopped JDK
	 * recording writes every chunk it still holds, in order, and a chunk's header says
	 * when it began.
	 */
	static void copyStartingAt(Path source, long startEpochNanos, Path target) throws IOException {
		long from = -1;
		long end;
		try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
			end = completeEnd(source, 0);
			ByteBuffer header = ByteBuffer.allocate(START_NANOS_OFFSET + Long.BYTES);
			for (long offset = 0; offset < end; offset += header.getLong(8)) {
				header.clear();
				channel.read(header, offset);
				if (header.getLong(START_NANOS_OFFSET) >= startEpochNanos) {
					from = offset;
					break;
				}
			}
		}
		if (from >= 0) {
			copy(source, from, end, target);
		}
	}

	/**
	 * Copies bytes {@code [from, to)} of {@code source} into a new file {@code target},
	 * whole or not at all: a copy cut short (a full disk) deletes what it wrote, so that
	 * nothing half written is taken for a window, nor stands where a retry writes it.
	 */
	static void copy(Path source, long from, long to, Path target) throws IOException {
		copy(List.of(new Range(source, from, to)), target);
	}

	/**
	 * Copies {@code ranges}, one after the other, into a new file {@code target}, whole
	 * or not at all. Chunks are self-contained, so complete chunks of several recordings
	 * make one valid file.
	 */
	static void copy(List<Range> ranges, Path target) throws IOException {
		FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		try (out) {
			for (Range range : ranges) {
				try (FileChannel in = FileChannel.open(range.file(), StandardOpenOption.READ)) {
					long position = range.from();
					while (position < range.to()) {
						long copied = in.transferTo(position, range.to() - position, out);
						if (copied <= 0 && position >= in.size()) {
							throw new IOException(range.file() + " ends at " + in.size() + ", before " + range.to());
						}
						position += copied;
					}
				}
			}
		}
		catch (IOException ex) {
			Files.deleteIfExists(target);
			throw ex;
		}
	}

	/**
	 * Bytes {@code [from, to)} of a JFR file, complete chunks only.
	 *
	 * @param file the file
	 * @param from offset of the first chunk
	 * @param to end of the last chunk
	 */
	record Range(Path file, long from, long to) {
	}

	private static boolean magicAt(FileChannel channel, long offset) throws IOException {
		ByteBuffer magic = ByteBuffer.allocate(4);
		if (channel.read(magic, offset) < 4) {
			return false;
		}
		return magic.getInt(0) == MAGIC;
	}

}
