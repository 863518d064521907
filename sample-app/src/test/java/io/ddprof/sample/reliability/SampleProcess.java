package io.ddprof.sample.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
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
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged sample running in a JVM of its own, as a user runs it, plus the test's
 * {@link FaultProbe}: started with Spring Boot's {@code PropertiesLauncher} from the repackaged
 * jar with the test classes on {@code loader.path} (where the sample's component scan finds the
 * probe), so that JVM options (an {@code -agentpath},
 * a broken native library path) and environment variables apply to it alone. Its output goes to
 * a log file the tests count lines in.
 */
public final class SampleProcess implements AutoCloseable {

	// Hang guards, far above what the steps take on a loaded two-core machine.
	static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	static final Duration EXIT_TIMEOUT = Duration.ofSeconds(90);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final URI base;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private SampleProcess(Process process, URI base, Path log) {
		this.process = process;
		this.base = base;
		this.log = log;
	}

	/**
	 * Starts the sample on a free port.
	 * @param jvmOptions options before the class path, such as {@code -agentpath:...}
	 * @param arguments application arguments, such as {@code --ddprof.upload.period=2s}
	 * @param environment variables added to a copy of this JVM's environment, from which every
	 * {@code DD_*} and {@code DDPROF_*} variable was removed first
	 * @param log where the application's output goes
	 */
	public static SampleProcess start(List<String> jvmOptions, List<String> arguments, Map<String, String> environment,
			Path log) throws IOException {
		int port = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.addAll(jvmOptions);
		command.add("-Dloader.path=" + testClasses());
		command.add("-cp");
		command.add(sampleJar().toString());
		command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
		command.add("--server.port=" + port);
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command);
		// Datadog or ddprof variables of the machine running the build must not steer the sample.
		builder.environment().keySet().removeIf((name) -> name.startsWith("DD_") || name.startsWith("DDPROF_"));
		builder.environment().putAll(environment);
		Files.createDirectories(log.getParent());
		builder.redirectErrorStream(true).redirectOutput(log.toFile());
		return new SampleProcess(builder.start(), URI.create("http://127.0.0.1:" + port), log);
	}

	/** Where the application listens. */
	public URI base() {
		return this.base;
	}

	/** Waits until {@code /actuator/health} answers UP; fails when the process exits first. */
	public void awaitHealthy() throws InterruptedException {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new AssertionError("the sample exited during start-up: " + logTail());
			}
			try {
				if (getText("/actuator/health").contains("\"UP\"")) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the sample did not answer UP within " + STARTUP_TIMEOUT + ": " + logTail());
	}

	/** GETs {@code path} and reads the answer as JSON; fails unless it is 200. */
	public JsonNode get(String path) throws IOException, InterruptedException {
		return JSON.readTree(getText(path));
	}

	private String getText(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(this.base.resolve(path)).timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
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
			throw new AssertionError("the sample did not exit within " + EXIT_TIMEOUT + " of SIGTERM: " + logTail()
					+ "\n--- threads of the process that did not exit:\n" + threads);
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/** The threads of the running process, from {@code jcmd Thread.print}, or why there are none. */
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

	/** Waits for the process to exit by itself (a failed start-up); fails after the timeout. */
	int awaitExit() throws InterruptedException {
		if (!this.process.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			throw new AssertionError("the sample did not exit: " + logTail());
		}
		return this.process.exitValue();
	}

	/** The exit code; the process must have exited. */
	int exitCode() {
		return this.process.exitValue();
	}

	/** The process id. */
	long pid() {
		return this.process.pid();
	}

	/** Every line of output so far. */
	public List<String> logLines() {
		try {
			return Files.readAllLines(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + this.log, ex);
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

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

	/** The repackaged sample jar, as the build names it, else the one in {@code target/}. */
	static Path sampleJar() throws IOException {
		String configured = System.getProperty("sample.jar");
		if (configured != null) {
			return Path.of(configured);
		}
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("sample-app-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no target/sample-app-*.jar: run `package` first"));
		}
	}

	/** Where a reliability test writes what it leaves for a reader: logs and reports. */
	static Path reportDirectory() {
		return Path.of(System.getProperty("reliability.reports", "target/reliability"));
	}

	private static Path testClasses() {
		try {
			return Path.of(FaultProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
