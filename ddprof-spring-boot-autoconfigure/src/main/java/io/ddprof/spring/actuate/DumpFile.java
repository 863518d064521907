package io.ddprof.spring.actuate;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.core.io.FileSystemResource;

/**
 * A profile written for one download: a temporary file, deleted once it has been read,
 * offered under a file name of its own ({@code orders-20261125T153000Z-cpu.pprof}).
 */
final class DumpFile extends FileSystemResource {

	private final Path path;

	private final String downloadName;

	private final boolean inline;

	DumpFile(Path path, String downloadName, boolean inline) {
		super(path);
		this.path = path;
		this.downloadName = downloadName;
		this.inline = inline;
	}

	@Override
	public String getFilename() {
		return this.downloadName;
	}

	/** Whether a browser should show the file (the flame graph) rather than save it. */
	boolean inline() {
		return this.inline;
	}

	@Override
	public InputStream getInputStream() throws IOException {
		return new FilterInputStream(super.getInputStream()) {

			@Override
			public void close() throws IOException {
				try {
					super.close();
				}
				finally {
					delete();
				}
			}

		};
	}

	@Override
	public ReadableByteChannel readableChannel() throws IOException {
		ReadableByteChannel channel = super.readableChannel();
		return new ReadableByteChannel() {

			@Override
			public int read(ByteBuffer dst) throws IOException {
				return channel.read(dst);
			}

			@Override
			public boolean isOpen() {
				return channel.isOpen();
			}

			@Override
			public void close() throws IOException {
				try {
					channel.close();
				}
				finally {
					delete();
				}
			}

		};
	}

	@Override
	public boolean isFile() {
		// A server that sends a file by zero-copy never closes a stream of ours, so the
		// file
		// would never be deleted: offer a stream only.
		return false;
	}

	void delete() {
		try {
			Files.deleteIfExists(this.path);
		}
		catch (IOException ex) {
			// Under the temp directory, left for the operating system's cleaning.
		}
	}

}
