package io.ddprof.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;

/**
 * Drives an HTTP/1.1 server with a fixed number of keep-alive connections, each sending
 * the next request of the mix as soon as the previous answer is read (a closed loop).
 * Plain sockets and one thread per connection: the generator shares the machine's cores
 * with the server, so it does as little as it can per request. Latency goes into a
 * histogram in microseconds.
 */
final class LoadGenerator {

	// A hang guard per request, far above what any request of the mix takes.
	private static final int READ_TIMEOUT_MILLIS = 30_000;

	private static final long HIGHEST_MICROS = Duration.ofSeconds(60).toNanos() / 1000;

	private final InetSocketAddress server;

	private final List<byte[]> requests;

	private final int connections;

	/**
	 * A generator for the given server.
	 * @param server the server's address
	 * @param paths the mix, sent in turn by every connection (each starting at a
	 * different one)
	 * @param connections how many connections send at once
	 */
	LoadGenerator(InetSocketAddress server, List<String> paths, int connections) {
		this.server = server;
		this.requests = paths.stream()
			.map((path) -> ("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
					+ "\r\nAccept: */*\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII))
			.toList();
		this.connections = connections;
	}

	/** Sends requests for {@code duration} and reports what was answered. */
	LoadResult run(Duration duration) throws InterruptedException {
		long deadline = System.nanoTime() + duration.toNanos();
		List<Connection> all = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < this.connections; i++) {
			Connection connection = new Connection(i, deadline);
			all.add(connection);
			Thread thread = new Thread(connection, "load-" + i);
			thread.setDaemon(true);
			threads.add(thread);
		}
		long start = System.nanoTime();
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}
		long elapsed = System.nanoTime() - start;
		Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
		long errors = 0;
		String firstError = null;
		for (Connection connection : all) {
			latencies.add(connection.latencies);
			errors += connection.errors;
			if (firstError == null) {
				firstError = connection.firstError.get();
			}
		}
		return new LoadResult(latencies.getTotalCount(), errors, Duration.ofNanos(elapsed),
				latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(99), firstError);
	}

	private final class Connection implements Runnable {

		private final int index;

		private final long deadline;

		private final Histogram latencies = new Histogram(HIGHEST_MICROS, 3);

		private final AtomicReference<String> firstError = new AtomicReference<>();

		private long errors;

		private Socket socket;

		private InputStream in;

		private OutputStream out;

		Connection(int index, long deadline) {
			this.index = index;
			this.deadline = deadline;
		}

		@Override
		public void run() {
			int next = this.index;
			try {
				while (System.nanoTime() < this.deadline) {
					byte[] request = LoadGenerator.this.requests.get(next % LoadGenerator.this.requests.size());
					next++;
					long start = System.nanoTime();
					try {
						if (this.socket == null) {
							connect();
						}
						this.out.write(request);
						this.out.flush();
						int status = readResponse();
						// Only requests answered within the run count: the last one may
						// end after the deadline.
						long end = System.nanoTime();
						if (status == 200) {
							this.latencies.recordValue(Math.min((end - start) / 1000, HIGHEST_MICROS));
						}
						else {
							failed("HTTP " + status + " for " + firstLine(request));
						}
					}
					catch (IOException ex) {
						failed(ex + " for " + firstLine(request));
						close();
					}
				}
			}
			finally {
				close();
			}
		}

		private void failed(String error) {
			this.errors++;
			this.firstError.compareAndSet(null, error);
		}

		private void connect() throws IOException {
			this.socket = new Socket();
			this.socket.setTcpNoDelay(true);
			this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
			this.socket.connect(LoadGenerator.this.server, READ_TIMEOUT_MILLIS);
			this.in = new BufferedInputStream(this.socket.getInputStream(), 16 * 1024);
			this.out = this.socket.getOutputStream();
		}

		private void close() {
			if (this.socket != null) {
				try {
					this.socket.close();
				}
				catch (IOException ex) {
					// Closing a broken connection: nothing left to do with it.
				}
				this.socket = null;
			}
		}

		/** Reads one response, its body included; returns its status. */
		private int readResponse() throws IOException {
			String statusLine = readLine();
			if (statusLine.length() < 12) {
				throw new IOException("bad status line: " + statusLine);
			}
			int status = Integer.parseInt(statusLine.substring(9, 12));
			long length = -1;
			boolean chunked = false;
			boolean closing = false;
			String header;
			while (!(header = readLine()).isEmpty()) {
				int colon = header.indexOf(':');
				if (colon < 0) {
					continue;
				}
				String name = header.substring(0, colon).trim();
				String value = header.substring(colon + 1).trim();
				if (name.equalsIgnoreCase("Content-Length")) {
					length = Long.parseLong(value);
				}
				else if (name.equalsIgnoreCase("Transfer-Encoding")) {
					chunked = value.equalsIgnoreCase("chunked");
				}
				else if (name.equalsIgnoreCase("Connection")) {
					closing = value.equalsIgnoreCase("close");
				}
			}
			if (chunked) {
				long size;
				while ((size = Long.parseLong(readLine().split(";", 2)[0].trim(), 16)) > 0) {
					skip(size);
					readLine();
				}
				// Trailers, then the empty line.
				while (!readLine().isEmpty()) {
				}
			}
			else if (length >= 0) {
				skip(length);
			}
			else {
				closing = true;
			}
			if (closing) {
				close();
			}
			return status;
		}

		private void skip(long bytes) throws IOException {
			long left = bytes;
			while (left > 0) {
				long skipped = this.in.skip(left);
				if (skipped <= 0) {
					if (this.in.read() < 0) {
						throw new IOException("connection closed in a response body");
					}
					skipped = 1;
				}
				left -= skipped;
			}
		}

		private String readLine() throws IOException {
			StringBuilder line = new StringBuilder(64);
			int c;
			while ((c = this.in.read()) != '\n') {
				if (c < 0) {
					throw new IOException("connection closed in a response");
				}
				if (c != '\r') {
					line.append((char) c);
				}
			}
			return line.toString();
		}

	}

	private static String firstLine(byte[] request) {
		String text = new String(request, StandardCharsets.US_ASCII);
		return text.substring(0, text.indexOf('\r'));
	}

}
