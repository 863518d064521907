package io.ddprof.benchmarks.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged sample application running as a process of its own, with its output in a
 * log file, and the HTTP calls the benchmark makes to it besides the load (health, the
 * profiler's status endpoint).
 */
final class SampleProcess implements AutoCloseable {

	// Hang guards only: the sample starts in seconds, an agent adds a few more.
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final int port;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private SampleProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts the jar with {@code java} and waits until its health endpoint answers UP.
	 */
	static SampleProcess start(Path java, Path jar, Configuration.Launch launch, int port, Path log)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(java.toString());
		command.addAll(launch.jvmArgs());
		command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
				// Every connection of the load stays open for the whole run, in every
				// configuration.
				"--server.tomcat.max-keep-alive-requests=-1"));
		command.addAll(launch.appArgs());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().putAll(launch.environment());
		SampleProcess sample = new SampleProcess(builder.start(), port, log);
		try {
			sample.awaitHealthy();
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			sample.close();
			throw ex;
		}
		return sample;
	}

	private void awaitHealthy() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IOException("the sample exited with " + this.process.exitValue()
						+ " before it was healthy; see " + this.log);
			}
			try {
				HttpResponse<String> health = get("/actuator/health");
				if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
					return;
				}
			}
			catch (ConnectException ex) {
				// Not listening yet.
			}
			Thread.sleep(250);
		}
		throw new IOException(
				"the sample was not healthy within " + STARTUP_TIMEOUT.toSeconds() + "s; see " + this.log);
	}

	/** The process id. */
	long pid() {
		return this.process.pid();
	}

	/** When the process started. */
	Instant startedAt() {
		return this.process.info().startInstant().orElseThrow();
	}

	/** The port it listens on. */
	int port() {
		return this.port;
	}

	/** GETs a path of the application. */
	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(CALL_TIMEOUT).GET().build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/** POSTs a JSON body to a path of the application. */
	HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri(path))
			.timeout(CALL_TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	/**
	 * Stops the process with SIGTERM (so agents write what they write at exit) and waits
	 * for it.
	 */
	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
	}

}
