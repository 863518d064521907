package io.ddprof.benchmarks.load;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.ddprof.testing.JavaProcess;

/**
 * The packaged sample application running as a process of its own (a {@link JavaProcess}:
 * this JVM's {@code java}, the machine's Datadog and ddprof variables removed, output in
 * a log file), and the HTTP calls the benchmark makes to it besides the load (the
 * profiler's status endpoint), whatever their status: without ddprof they find no
 * endpoint.
 */
final class SampleProcess implements AutoCloseable {

	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

	private final JavaProcess process;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private SampleProcess(JavaProcess process, Path log) {
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts the jar and waits until its health endpoint answers UP.
	 * @throws IOException when it does not start or exits first: the benchmark records
	 * the configuration as failed and goes on with the next
	 */
	static SampleProcess start(Path jar, Configuration.Launch launch, int port, Path log)
			throws IOException, InterruptedException {
		List<String> arguments = new ArrayList<>(launch.jvmArgs());
		arguments.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
				// Every connection of the load stays open for the whole run, in every
				// configuration.
				"--server.tomcat.max-keep-alive-requests=-1"));
		arguments.addAll(launch.appArgs());
		SampleProcess sample = new SampleProcess(JavaProcess.start(arguments, port, launch.environment(), log), log);
		try {
			sample.process.awaitHealthy();
		}
		catch (AssertionError ex) {
			// JavaProcess fails as a test does; here one configuration fails, not the
			// benchmark, in one line of the report (the log's tail is in the cause).
			String what = sample.process.isAlive() ? "was not healthy in time"
					: "exited with " + sample.process.exitCode() + " before it was healthy";
			sample.process.close();
			throw new IOException("the sample " + what + "; see " + log, ex);
		}
		catch (InterruptedException | RuntimeException ex) {
			sample.process.close();
			throw ex;
		}
		return sample;
	}

	/** The process id. */
	long pid() {
		return this.process.pid();
	}

	/** When the process started. */
	Instant startedAt() {
		return ProcessHandle.of(this.process.pid()).orElseThrow().info().startInstant().orElseThrow();
	}

	/** GETs a path of the application. */
	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(this.process.base().resolve(path))
			.timeout(CALL_TIMEOUT)
			.GET()
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/** POSTs a JSON body to a path of the application. */
	HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(this.process.base().resolve(path))
			.timeout(CALL_TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Stops the process with SIGTERM (so that agents write what they write at exit) and
	 * waits for it.
	 * @throws IOException when it did not exit in time (it is killed then): the
	 * configuration fails, with the thread dump of the process that hung
	 */
	@Override
	public void close() throws IOException, InterruptedException {
		try {
			this.process.terminate();
		}
		catch (AssertionError ex) {
			// One line of the report; the log's tail and the threads are in the cause.
			throw new IOException("the sample did not exit after SIGTERM; see " + this.log, ex);
		}
		finally {
			this.process.close();
		}
	}

}
