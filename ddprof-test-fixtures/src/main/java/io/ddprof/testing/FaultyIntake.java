package io.ddprof.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A Datadog agent that misbehaves on purpose, on a real loopback socket: HTTP/1.1 written
 * by hand so that it can also hang, answer late or reset a connection halfway through a
 * body. What it does with the n-th request (counting from 1) is its {@link Behaviour}. It
 * keeps no body, only counts: requests, answers by status, resets, and the
 * {@code snapshot:} tags of the uploads it accepted.
 */
public final class FaultyIntake implements AutoCloseable {

	private final ServerSocket server;

	private final LongFunction<Reply> behaviour;

	private final ExecutorService connections = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "faulty-intake");
		thread.setDaemon(true);
		return thread;
	});

	private final CountDownLatch closed = new CountDownLatch(1);

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong resets = new AtomicLong();

	private final Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> accepted = new ConcurrentHashMap<>();

	private FaultyIntake(LongFunction<Reply> behaviour) throws IOException {
		this.behaviour = behaviour;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "faulty-intake-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * An agent that answers the n-th request with the status {@code statusOfRequest}
	 * gives.
	 */
	public static FaultyIntake answering(LongFunction<Integer> statusOfRequest) throws IOException {
		return new FaultyIntake((n) -> Reply.status(statusOfRequest.apply(n)));
	}

	/**
	 * An agent that reads every request whole and answers 200 only after {@code delay}.
	 */
	public static FaultyIntake answeringAfter(Duration delay) throws IOException {
		return new FaultyIntake((n) -> new Reply(200, delay, false, -1));
	}

	/** An agent that reads every request whole and never answers (until closed). */
	public static FaultyIntake hanging() throws IOException {
		return new FaultyIntake((n) -> new Reply(200, null, true, -1));
	}

	/**
	 * An agent that reads {@code bytes} of every request body, then resets the
	 * connection.
	 */
	public static FaultyIntake resettingAfter(int bytes) throws IOException {
		return new FaultyIntake((n) -> new Reply(0, null, false, bytes));
	}

	/** The agent URL, as {@code ddprof.agent.url} takes it. */
	public String url() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	/** Requests whose headers arrived. */
	public long requests() {
		return this.requests.get();
	}

	/** Answers sent, by status (an answer written after the client left counts too). */
	public Map<Integer, Long> answers() {
		Map<Integer, Long> copy = new TreeMap<>();
		this.answers.forEach((status, count) -> copy.put(status, count.get()));
		return copy;
	}

	/** Answers with a 2xx status. */
	public long acceptedTotal() {
		return this.answers.entrySet()
			.stream()
			.filter((entry) -> entry.getKey() / 100 == 2)
			.mapToLong((entry) -> entry.getValue().get())
			.sum();
	}

	/**
	 * Accepted uploads by their {@code snapshot:} tag ({@code periodic},
	 * {@code on_shutdown}).
	 */
	public Map<String, Long> acceptedBySnapshot() {
		Map<String, Long> copy = new TreeMap<>();
		this.accepted.forEach((snapshot, count) -> copy.put(snapshot, count.get()));
		return copy;
	}

	/** Connections reset halfway through a body. */
	public long resets() {
		return this.resets.get();
	}

	/**
	 * Goes away as an agent that is stopped does: closes the listening socket and every
	 * open connection (a client's pooled keep-alive connection included), and lets every
	 * hanging or waiting request go.
	 */
	@Override
	public void close() throws IOException {
		this.closed.countDown();
		this.server.close();
		for (Socket socket : this.open) {
			socket.close();
		}
		this.connections.shutdownNow();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.connections.execute(() -> serve(socket));
			}
			catch (IOException | RuntimeException ex) {
				// Closed, or the executor is shut down: the intake is going away.
			}
		}
	}

	private void serve(Socket socket) {
		this.open.add(socket);
		if (this.closed.getCount() == 0) {
			this.open.remove(socket);
			closeQuietly(socket);
			return;
		}
		try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
			while (true) {
				Map<String, String> headers = readHead(in);
				if (headers == null) {
					return;
				}
				long n = this.requests.incrementAndGet();
				Reply reply = this.behaviour.apply(n);
				if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
					out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
					out.flush();
				}
				if (reply.resetAfter() >= 0) {
					in.readNBytes(reply.resetAfter());
					// SO_LINGER 0: the close sends a reset instead of an orderly end of
					// stream.
					socket.setSoLinger(true, 0);
					this.resets.incrementAndGet();
					return;
				}
				byte[] body = readBody(in, headers);
				if (reply.hang()) {
					this.closed.await();
					return;
				}
				if (reply.delay() != null) {
					Thread.sleep(reply.delay().toMillis());
				}
				this.answers.computeIfAbsent(reply.status(), (status) -> new AtomicLong()).incrementAndGet();
				if (reply.status() / 100 == 2) {
					this.accepted.computeIfAbsent(snapshot(body), (tag) -> new AtomicLong()).incrementAndGet();
				}
				out.write(("HTTP/1.1 " + reply.status() + " Fault\r\nContent-Length: 0\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
		}
		catch (SocketException ex) {
			// The client went away (it timed out, or the application stopped): nothing to
			// answer.
		}
		catch (IOException ex) {
			// As above, seen as another I/O error.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.open.remove(socket);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	// The request line and headers (names in lower case), or null at the end of the
	// stream.
	private static Map<String, String> readHead(InputStream in) throws IOException {
		String requestLine = readLine(in);
		while (requestLine != null && requestLine.isEmpty()) {
			requestLine = readLine(in);
		}
		if (requestLine == null) {
			return null;
		}
		Map<String, String> headers = new TreeMap<>();
		for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
		}
		return headers;
	}

	private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			while (true) {
				String sizeLine = readLine(in);
				if (sizeLine == null) {
					throw new IOException("end of stream inside a chunked body");
				}
				int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
				if (size == 0) {
					for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
						// trailers are not used
					}
					return body.toByteArray();
				}
				body.write(in.readNBytes(size));
				readLine(in);
			}
		}
		String length = headers.get("content-length");
		return (length != null) ? in.readNBytes(Integer.parseInt(length)) : new byte[0];
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1) {
			if (b == '\n') {
				String text = line.toString(StandardCharsets.ISO_8859_1);
				return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
			}
			line.write(b);
		}
		return (line.size() > 0) ? line.toString(StandardCharsets.ISO_8859_1) : null;
	}

	// The event part is plain JSON ahead of the compressed JFR: its tags name the
	// snapshot.
	private static String snapshot(byte[] body) {
		String text = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.ISO_8859_1);
		int at = text.indexOf("snapshot:");
		if (at < 0) {
			return "unknown";
		}
		int end = at + "snapshot:".length();
		while (end < text.length() && (Character.isLetter(text.charAt(end)) || text.charAt(end) == '_')) {
			end++;
		}
		return text.substring(at + "snapshot:".length(), end);
	}

	/**
	 * What to do with one request.
	 *
	 * @param status the status to answer with
	 * @param delay how long to wait before answering, or {@code null}
	 * @param hang whether never to answer
	 * @param resetAfter body bytes to read before resetting the connection, or -1 to read
	 * it all
	 */
	record Reply(int status, Duration delay, boolean hang, int resetAfter) {

		static Reply status(int status) {
			return new Reply(status, null, false, -1);
		}

	}

}
