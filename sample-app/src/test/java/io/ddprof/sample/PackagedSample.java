package io.ddprof.sample;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.ddprof.testing.JavaProcess;

/**
 * The packaged sample in a JVM of its own, on a free port, so that JVM options (an
 * {@code -agentpath}, a broken native library path) and environment variables apply to it
 * alone: started with {@code java -jar} as a user runs it, or with the test's probe
 * besides.
 */
public final class PackagedSample {

	/** Where the sample uploads its windows on the Datadog agent it is given. */
	public static final String INTAKE_PATH = "/profiling/v1/input";

	private PackagedSample() {
	}

	/**
	 * Starts the sample with {@code java -jar}, as a user does.
	 * @param jvmOptions options before {@code -jar}, such as {@code -Xmx512m}
	 * @param arguments application arguments, such as {@code --ddprof.upload.period=2s}
	 * @param environment variables added to a copy of this JVM's environment, from which
	 * every {@code DD_*} and {@code DDPROF_*} variable was removed first
	 * @param log where the application's output goes
	 */
	public static JavaProcess start(List<String> jvmOptions, List<String> arguments, Map<String, String> environment,
			Path log) throws IOException {
		int port = JavaProcess.freePort();
		List<String> command = new ArrayList<>(jvmOptions);
		command.add("-jar");
		command.add(jar().toString());
		command.add("--server.port=" + port);
		command.addAll(arguments);
		return JavaProcess.start(command, port, environment, log);
	}

	/**
	 * Starts the sample with the test's probe
	 * ({@code io.ddprof.sample.reliability.FaultProbe}): with Spring Boot's
	 * {@code PropertiesLauncher} from the repackaged jar and the test classes on
	 * {@code loader.path}, where the sample's component scan finds the probe; 256 MB of
	 * heap.
	 * @see #start
	 */
	public static JavaProcess startWithProbe(List<String> jvmOptions, List<String> arguments,
			Map<String, String> environment, Path log) throws IOException {
		int port = JavaProcess.freePort();
		List<String> command = new ArrayList<>();
		command.add("-Xmx256m");
		command.addAll(jvmOptions);
		command.add("-Dloader.path=" + testClasses());
		command.add("-cp");
		command.add(jar().toString());
		command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
		command.add("--server.port=" + port);
		command.addAll(arguments);
		return JavaProcess.start(command, port, environment, log);
	}

	/**
	 * The repackaged sample jar, as the build names it, else the one in {@code target/}
	 * (run from an IDE).
	 */
	public static Path jar() throws IOException {
		String configured = System.getProperty("sample.jar");
		if (configured != null) {
			if (!Files.isRegularFile(Path.of(configured))) {
				throw new AssertionError("no repackaged sample jar at " + configured + ": run `package` first");
			}
			return Path.of(configured);
		}
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("sample-app-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no target/sample-app-*.jar: run `package` first"));
		}
	}

	/** Where a reliability test writes what it leaves for a reader: logs and reports. */
	public static Path reportDirectory() {
		return Path.of(System.getProperty("reliability.reports", "target/reliability"));
	}

	private static Path testClasses() {
		try {
			return Path.of(PackagedSample.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
