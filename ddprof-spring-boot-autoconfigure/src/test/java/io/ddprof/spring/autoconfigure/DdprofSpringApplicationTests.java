package io.ddprof.spring.autoconfigure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.ddprof.Profiler;
import io.ddprof.config.ProfilerSettings;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests of ddprof in a real Spring Boot application, found through the auto-configuration
 * imports like a user's application finds it.
 */
class DdprofSpringApplicationTests {

	@TempDir
	Path temp;

	@Test
	void shouldProfileFromRefreshAndDeliverTheLastWindowToTheLocalDirectoryOnClose() throws IOException {
		Path local = Files.createDirectories(this.temp.resolve("profiles"));
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run("--spring.application.name=sample",
				"--ddprof.local.directory=" + local, "--ddprof.upload.enabled=false", "--ddprof.upload.period=2s",
				"--ddprof.temp-directory=" + this.temp.resolve("work"));
		Profiler profiler = context.getBean(Profiler.class);
		List<Path> beforeClose;
		try {
			assertThat(profiler.isRunning()).isTrue();
			burnCpu(Duration.ofMillis(300));
			beforeClose = jfrFiles(local);
		}
		finally {
			context.close();
		}
		assertThat(profiler.isRunning()).isFalse();
		List<Path> afterClose = jfrFiles(local);
		assertThat(afterClose).hasSizeGreaterThan(beforeClose.size());
		Path last = afterClose.stream().filter((file) -> !beforeClose.contains(file)).findFirst().orElseThrow();
		assertThat(last.getFileName().toString()).contains("sample");
		assertThat(RecordingFile.readAllEvents(last)).isNotEmpty();
		long samplesOfThisThread = 0;
		for (Path file : afterClose) {
			samplesOfThisThread += RecordingFile.readAllEvents(file)
				.stream()
				.filter((event) -> event.getEventType().getName().equals("jdk.ExecutionSample"))
				.filter(DdprofSpringApplicationTests::onThisThread)
				.count();
		}
		assertThat(samplesOfThisThread).isPositive();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldExplainAnInvalidSettingWhenStartupFails(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--ddprof.cpu.interval=-10ms",
				"--ddprof.upload.enabled=false", "--ddprof.temp-directory=" + this.temp));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '-10ms' for ddprof.cpu.interval.")
			.contains("Origin: \"ddprof.cpu.interval\" from property source \"commandLineArgs\"")
			.contains("Allowed: expected a positive duration such as 10ms or 60s")
			.contains("Update ddprof.cpu.interval (set in \"ddprof.cpu.interval\" from property source"
					+ " \"commandLineArgs\") to a positive duration such as 10ms or 60s,"
					+ " or remove it to use the default.");
	}

	@Test
	void shouldConfigureNothingWhenTheCommandLineTurnsDdprofOff() {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--ddprof.enabled=no",
				"--ddprof.upload.enabled=false", "--ddprof.temp-directory=" + this.temp)) {
			assertThat(context.getBeansOfType(Profiler.class)).isEmpty();
		}
	}

	@Test
	void shouldLeaveTheEnabledValueAsTheUserWroteIt() {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--ddprof.enabled=yes",
				"--ddprof.upload.enabled=false", "--ddprof.temp-directory=" + this.temp)) {
			assertThat(context.getBean(Profiler.class).isRunning()).isTrue();
			// Read by the auto-configuration's condition; no property source above the
			// command line.
			assertThat(context.getEnvironment().getProperty("ddprof.enabled")).isEqualTo("yes");
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldExplainAnEnabledValueThatIsNotABoolean(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--ddprof.enabled=maybe",
				"--ddprof.upload.enabled=false", "--ddprof.temp-directory=" + this.temp));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value 'maybe' for ddprof.enabled.")
			.contains("Origin: \"ddprof.enabled\" from property source \"commandLineArgs\"")
			.contains("Allowed: expected true or false");
	}

	@Test
	void shouldRankDatadogVariablesBelowApplicationPropertiesAndAboveTheApplicationName() throws Exception {
		// The Datadog variables come from the real environment, so the application runs
		// in a
		// child JVM that has them.
		Path properties = Files.writeString(this.temp.resolve("application.properties"),
				"spring.application.name=from-application-name\nddprof.env=from-properties\n");
		ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), SettingsPrinter.class.getName(),
				"--spring.config.location=file:" + properties, "--ddprof.temp-directory=" + this.temp);
		child.environment().put("DD_SERVICE", "from-dd-service");
		child.environment().put("DD_ENV", "from-dd-env");
		child.environment().put("DD_VERSION", "from-dd-version");
		child.redirectErrorStream(true);
		Process process = child.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("child JVM exited").isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("settings: service=from-dd-service env=from-properties version=from-dd-version");
	}

	private static boolean onThisThread(RecordedEvent event) {
		return event.getThread("sampledThread") != null
				&& Thread.currentThread().getName().equals(event.getThread("sampledThread").getJavaName());
	}

	private static List<Path> jfrFiles(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((file) -> file.toString().endsWith(".jfr")).sorted().toList();
		}
	}

	/** Spends {@code cpu} of this thread's CPU time, so that CPU samples land on it. */
	private static void burnCpu(Duration cpu) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long start = threads.getCurrentThreadCpuTime();
		long hangGuard = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		double sink = 0;
		while (threads.getCurrentThreadCpuTime() - start < cpu.toNanos() && System.nanoTime() < hangGuard) {
			for (int i = 1; i < 10_000; i++) {
				sink += Math.sqrt(i);
			}
		}
		assertThat(sink).isPositive();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SampleApplication {

	}

	/**
	 * Starts {@link SampleApplication} and prints the settings the profiler was given.
	 */
	static final class SettingsPrinter {

		public static void main(String[] args) {
			SpringApplication application = new SpringApplication(SampleApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			try (ConfigurableApplicationContext context = application.run(args)) {
				ProfilerSettings settings = context.getBean(Profiler.class).settings();
				System.out.println("settings: service=" + settings.service() + " env=" + settings.env() + " version="
						+ settings.version());
			}
		}

	}

}
