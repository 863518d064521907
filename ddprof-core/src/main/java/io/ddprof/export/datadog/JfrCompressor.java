package io.ddprof.export.datadog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdOutputStream;
import io.ddprof.config.Compression;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * Writes a window's JFR into the upload queue, compressed as
 * {@code ddprof.upload.compression} asks, streaming from file to file. Data that already
 * starts with a compression magic number is linked or copied as it is, never compressed
 * twice.
 */
final class JfrCompressor {

	private static final byte[] ZSTD_MAGIC = { 0x28, (byte) 0xB5, 0x2F, (byte) 0xFD };

	private static final byte[] LZ4_FRAME_MAGIC = { 0x04, 0x22, 0x4D, 0x18 };

	private static final byte[] GZIP_MAGIC = { 0x1F, (byte) 0x8B };

	private static final byte[] ZIP_MAGIC = { 0x50, 0x4B, 0x03, 0x04 };

	private JfrCompressor() {
	}

	/**
	 * Writes {@code source} to {@code target} (which must not exist) compressed with
	 * {@code compression}.
	 * @return the compression the target holds: {@code compression}, or
	 * {@link Compression#OFF} when the source was stored as it is
	 * @throws IOException when reading or writing fails
	 * @throws LinkageError when the native zstd library cannot load on this platform
	 */
	static Compression compress(Path source, Path target, Compression compression) throws IOException {
		if (compression == Compression.OFF || isCompressed(source)) {
			linkOrCopy(source, target);
			return Compression.OFF;
		}
		try (InputStream in = Files.newInputStream(source);
				OutputStream out = compressing(
						Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
						compression)) {
			in.transferTo(out);
		}
		return compression;
	}

	/**
	 * Whether the file starts with the magic number of zstd, LZ4 frame, gzip or zip data.
	 */
	static boolean isCompressed(Path file) throws IOException {
		byte[] head = new byte[4];
		int read;
		try (InputStream in = Files.newInputStream(file)) {
			read = in.readNBytes(head, 0, head.length);
		}
		return startsWith(head, read, ZSTD_MAGIC) || startsWith(head, read, LZ4_FRAME_MAGIC)
				|| startsWith(head, read, GZIP_MAGIC) || startsWith(head, read, ZIP_MAGIC);
	}

	/** The file name extension that says how a file was compressed. */
	static String extension(Compression compression) {
		return switch (compression) {
			case ZSTD -> ".zst";
			case LZ4 -> ".lz4";
			case GZIP -> ".gz";
			case OFF -> "";
		};
	}

	private static OutputStream compressing(OutputStream out, Compression compression) throws IOException {
		try {
			return switch (compression) {
				// Level 3 is zstd's default and what Datadog's uploader uses: a good
				// ratio at little CPU.
				case ZSTD -> new ZstdOutputStream(out, 3);
				// 64 KB blocks keep the buffers small (the default is 4 MB).
				case LZ4 -> new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB);
				case GZIP -> new GZIPOutputStream(out, 64 * 1024);
				case OFF -> out;
			};
		}
		catch (IOException | RuntimeException | LinkageError ex) {
			out.close();
			throw ex;
		}
	}

	private static void linkOrCopy(Path source, Path target) throws IOException {
		try {
			// A hard link costs no copy; it fails across file systems or where links are
			// not supported.
			Files.createLink(target, source);
		}
		catch (UnsupportedOperationException | FileSystemException ex) {
			Files.copy(source, target);
		}
	}

	private static boolean startsWith(byte[] head, int length, byte[] magic) {
		if (length < magic.length) {
			return false;
		}
		for (int i = 0; i < magic.length; i++) {
			if (head[i] != magic[i]) {
				return false;
			}
		}
		return true;
	}

}
