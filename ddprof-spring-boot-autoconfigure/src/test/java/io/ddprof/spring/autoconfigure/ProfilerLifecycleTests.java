package io.ddprof.spring.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.ddprof.Profiler;
import io.ddprof.export.Exporter;
import io.ddprof.window.RecordedWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link ProfilerLifecycle}.
 */
class ProfilerLifecycleTests {

	@TempDir
	static Path temp;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, DdprofAutoConfiguration.class))
		.withPropertyValues("ddprof.upload.enabled=false", "ddprof.temp-directory=" + temp);

	@Test
	void shouldStopAfterTheWebServerHasStoppedAndBeforePhaseZeroResources() {
		// The web server stops (after draining) one step below its graceful shutdown
		// phase;
		// Reactor Netty's shared resources, which an upload needs, stop at phase 0.
		int webServerStop = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024;
		assertThat(ProfilerLifecycle.PHASE).isLessThan(webServerStop).isGreaterThan(0);
	}

	@Test
	void shouldDeliverTheLastWindowWhenTheContextCloses() {
		this.contextRunner.withUserConfiguration(RecordingExporterConfiguration.class).run((context) -> {
			RecordingExporter exporter = context.getBean(RecordingExporter.class);
			assertThat(exporter.profiles).isEmpty();
			context.close();
			assertThat(exporter.profiles).hasSize(1)
				.first()
				.satisfies((profile) -> assertThat(profile.snapshot()).isEqualTo(RecordedWindow.Snapshot.ON_SHUTDOWN));
		});
	}

	@Test
	void shouldNotHoldTheShutdownLongerThanThePhaseTimeoutWhenTheFlushHangs() {
		this.contextRunner.withUserConfiguration(BlockingExporterConfiguration.class)
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=1s")
			.run((context) -> {
				BlockingExporter exporter = context.getBean(BlockingExporter.class);
				Profiler profiler = context.getBean(Profiler.class);
				try {
					// Generous hang guard: the phase timeout is 1s, a hang would last
					// forever.
					assertTimeoutPreemptively(Duration.ofSeconds(60), () -> closeAndWait(context));
					assertThat(exporter.entered.await(30, TimeUnit.SECONDS)).as("flush reached the exporter").isTrue();
				}
				finally {
					exporter.release.countDown();
				}
				// Only one profiler records in a JVM: let this one finish before the next
				// test.
				await().atMost(Duration.ofSeconds(60)).until(() -> !profiler.isRunning());
			});
	}

	private static void closeAndWait(ConfigurableApplicationContext context) {
		context.close();
		assertThat(context.isActive()).isFalse();
	}

	@Test
	void shouldKeepTheApplicationRunningWhenTheProfilerCannotRecord() throws Exception {
		// A run-time fault, not a configuration error: the temp directory is a regular
		// file.
		Path notADirectory = Files.writeString(temp.resolve("not-a-directory"), "");
		this.contextRunner.withPropertyValues("ddprof.temp-directory=" + notADirectory).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ProfilerLifecycle.class).isRunning()).isTrue();
			assertThat(context.getBean(Profiler.class).problems().recent()).isNotEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingExporterConfiguration {

		@Bean
		RecordingExporter recordingExporter() {
			return new RecordingExporter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingExporterConfiguration {

		@Bean
		BlockingExporter blockingExporter() {
			return new BlockingExporter();
		}

	}

	static class RecordingExporter implements Exporter {

		final List<RecordedWindow> profiles = new CopyOnWriteArrayList<>();

		@Override
		public String name() {
			return "recording";
		}

		@Override
		public void export(RecordedWindow profile) {
			this.profiles.add(profile);
		}

	}

	static class BlockingExporter implements Exporter {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		public String name() {
			return "blocking";
		}

		@Override
		public void export(RecordedWindow profile) throws InterruptedException {
			this.entered.countDown();
			// Stands for an agent that never answers.
			this.release.await(10, TimeUnit.MINUTES);
		}

	}

}
