package io.ddprof.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An application in a JVM of its own (this JVM's {@code java}), as a user runs it,
 * serving HTTP on a port the test chose: started with the Datadog and ddprof variables of
 * the machine running the build removed, so that only the test steers it, and its output
 * in a log file the tests read.
 */
public final class JavaProcess implements AutoCloseable {

	// Hang guards, far above what the steps take on a loaded two-core machine.
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(90);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final URI base;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private JavaProcess(Process process, URI base, Path log) {
		this.process = process;
		this.base = base;
		this.log = log;
	}

	/**
	 * Starts {@code java} with {@code arguments}.
	 * @param arguments everything after {@code java}: JVM options, the class path or jar,
	 * the main class, application arguments
	 * @param port the port the application was told to listen on
	 * @param environment variables added to a copy of this JVM's environment, from which
	 * every {@code DD_*} and {@code DDPROF_*} variable was removed first
	 * @param log where the application's output goes
	 */
	public static JavaProcess start(List<String> arguments, int port, Map<String, String> environment, Path log)
			throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command);
		// Datadog or ddprof variables of the machine running the build must not steer the
		// application.
		builder.environment().keySet().removeIf((name) -> name.startsWith("DD_") || name.startsWith("DDPROF_"));
		builder.environment().putAll(environment);
		Files.createDirectories(log.toAbsolutePath().getParent());
		builder.redirectErrorStream(true).redirectOutput(log.toFile());
		return new JavaProcess(builder.start(), URI.create("http://127.0.0.1:" + port), log);
	}

	/** A loopback port nobody listens on right now. */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** Where the application listens. */
	public URI base() {
		return this.base;
	}

	/**
	 * Waits until {@code /actuator/health} answers UP; fails when the process exits
	 * first.
	 */
	public void awaitHealthy() throws InterruptedException {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new AssertionError("the application exited during start-up: " + logTail());
			}
			try {
				if ("UP".equals(get("/actuator/health").path("status").asString())) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the application did not answer UP within " + STARTUP_TIMEOUT + ": " + logTail());
	}

	/** GETs {@code path} and reads the answer as JSON; fails unless it is 200. */
	public JsonNode get(String path) throws IOException, InterruptedException {
		return JSON.readTree(getBytes(path));
	}

	/** GETs {@code path} and returns the answer's bytes; fails unless it is 200. */
	public byte[] getBytes(String path) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = this.http.send(
				HttpRequest.newBuilder(this.base.resolve(path)).timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() != 200) {
			throw new IOException(path + " answered " + response.statusCode() + ": "
					+ new String(response.body(), StandardCharsets.UTF_8));
		}
		return response.body();
	}

	/** Whether the process is still running. */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Sends SIGTERM, as an orchestrator stops a service, and waits for the exit.
	 * @return how long the process took to exit
	 */
	public Duration terminate() throws InterruptedException {
		long start = System.nanoTime();
		this.process.destroy();
		if (!this.process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			String threads = threadDump();
			this.process.destroyForcibly().waitFor();
			throw new AssertionError("the application did not exit within " + EXIT_TIMEOUT + " of SIGTERM: " + logTail()
					+ "\n--- threads of the process that did not exit:\n" + threads);
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/**
	 * Waits for the process to exit by itself (a failed start-up); fails after the
	 * timeout.
	 */
	public int awaitExit() throws InterruptedException {
		if (!this.process.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			throw new AssertionError("the application did not exit: " + logTail());
		}
		return this.process.exitValue();
	}

	/** The exit code; the process must have exited. */
	public int exitCode() {
		return this.process.exitValue();
	}

	/** The process id. */
	public long pid() {
		return this.process.pid();
	}

	/** Every line of output so far. */
	public List<String> logLines() {
		try {
			return Files.readAllLines(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + this.log, ex);
		}
	}

	/** Lines of output that contain {@code text}. */
	public long countLines(String text) {
		return logLines().stream().filter((line) -> line.contains(text)).count();
	}

	/** The last lines of output, for assertion messages. */
	public String logTail() {
		List<String> lines = logLines();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

	/**
	 * Kills the process if it still runs: the end of a test that failed before stopping
	 * it.
	 */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

	/**
	 * The threads of the running process, from {@code jcmd Thread.print}, or why there
	 * are none.
	 */
	private String threadDump() {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		try {
			Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(this.process.pid()), "Thread.print", "-l")
				.redirectErrorStream(true)
				.start();
			String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			dump.waitFor(30, TimeUnit.SECONDS);
			return threads;
		}
		catch (IOException ex) {
			return "(no thread dump: " + ex.getMessage() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "(no thread dump: interrupted)";
		}
	}

}
