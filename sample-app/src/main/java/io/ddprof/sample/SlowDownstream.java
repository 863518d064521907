package io.ddprof.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * Blocking I/O: a slow downstream service on a loopback socket inside this process. A
 * caller connects, sends a request byte and blocks in a socket read until the answer
 * comes, after {@code delay}; the time shows in the wall-clock profile, not in the CPU
 * profile.
 */
@Component
public class SlowDownstream implements AutoCloseable {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	private final ServerSocket server;

	private final ScheduledExecutorService answers;

	private final Thread acceptor;

	/** Opens the downstream service on an ephemeral loopback port. */
	public SlowDownstream() throws IOException {
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		// One thread answers every connection when its delay is up: no thread sleeps per
		// call.
		this.answers = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "slow-downstream-answer"));
		this.acceptor = daemon(this::acceptConnections, "slow-downstream-accept");
		this.acceptor.start();
	}

	/**
	 * Calls the downstream service and blocks until it answers after {@code delay};
	 * returns the answer.
	 */
	public int callSlowDownstream(Duration delay) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(this.server.getLocalSocketAddress(), (int) READ_TIMEOUT.toMillis());
			// Never blocks a request thread for ever, whatever happens to the downstream
			// side.
			socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write((int) Math.min(delay.toMillis(), 255));
			out.flush();
			int answer = socket.getInputStream().read();
			if (answer < 0) {
				throw new IOException("slow downstream closed the connection without answering");
			}
			return answer;
		}
	}

	private void acceptConnections() {
		while (!this.server.isClosed()) {
			Socket connection;
			try {
				connection = this.server.accept();
			}
			catch (IOException ex) {
				// Closed by close(), which ends the loop; anything else is one failed
				// accept.
				continue;
			}
			try {
				// The caller writes its request byte right after connecting.
				connection.setSoTimeout(1000);
				int delayMillis = connection.getInputStream().read();
				this.answers.schedule(() -> answer(connection), Math.max(delayMillis, 0), TimeUnit.MILLISECONDS);
			}
			catch (IOException | RejectedExecutionException ex) {
				// One broken connection: its caller sees its own read fail, the service
				// goes on.
				closeQuietly(connection);
			}
		}
	}

	private static void answer(Socket connection) {
		try (connection) {
			connection.getOutputStream().write(42);
		}
		catch (IOException ex) {
			// The caller gave up (read timeout): nothing to answer.
		}
	}

	private static void closeQuietly(Socket connection) {
		try {
			connection.close();
		}
		catch (IOException ex) {
			// Already broken.
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.answers.shutdownNow();
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

}
