package io.ddprof;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.Exporter;
import io.ddprof.problem.ProblemLog;
import io.ddprof.window.RecordedWindow;
import one.profiler.AsyncProfiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code start} and {@code stop}: idempotent, thread-safe, bounded, and never throwing at
 * run time.
 */
class ProfilerLifecycleTests {

	@TempDir
	Path temp;

	@Test
	void startAndStopAreIdempotentAndThreadSafe() throws Exception {
		Profiler profiler = new Profiler(settings().build());
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<?>> calls = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				boolean start = i % 2 == 0;
				calls.add(pool.submit(() -> {
					go.await();
					if (start) {
						profiler.start(false, false);
					}
					else {
						profiler.status();
					}
					return null;
				}));
			}
			go.countDown();
			for (Future<?> call : calls) {
				call.get(30, TimeUnit.SECONDS);
			}
			assertThat(profiler.isRunning()).isTrue();
			assertThat(profiler.status().state()).isEqualTo(ProfilerStatus.State.RUNNING);
			profiler.start();
			assertThat(profiler.status().windowsRecorded()).isZero();
			List<Future<?>> stops = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				stops.add(pool.submit(() -> profiler.stop(true)));
			}
			for (Future<?> stop : stops) {
				stop.get(30, TimeUnit.SECONDS);
			}
			assertThat(profiler.isRunning()).isFalse();
			assertThat(profiler.status().state()).isEqualTo(ProfilerStatus.State.STOPPED);
			profiler.stop();
			profiler.start(false, false);
			assertThat(profiler.status().state()).isEqualTo(ProfilerStatus.State.RUNNING);
		}
		finally {
			profiler.stop(false);
			pool.shutdownNow();
		}
	}

	@Test
	void aSecondProfilerInTheSameJvmDegradesWithAClearReason() {
		Profiler first = new Profiler(settings().build());
		Profiler second = new Profiler(settings().build());
		try {
			first.start(false, false);
			second.start(false, false);
			assertThat(first.status().state()).isEqualTo(ProfilerStatus.State.RUNNING);
			assertThat(second.status().state()).isEqualTo(ProfilerStatus.State.DEGRADED);
			assertThat(second.status().engineReason()).contains("another ddprof Profiler is already running");
			first.stop(false);
			second.stop(false);
			second.start(false, false);
			assertThat(second.status().state()).isEqualTo(ProfilerStatus.State.RUNNING);
		}
		finally {
			first.stop(false);
			second.stop(false);
		}
	}

	@Test
	void asyncProfilerStartedBySomeoneElseFallsBackToJfr() throws Exception {
		AsyncProfiler other = AsyncProfiler.getInstance();
		other.execute("start,event=cpu,file=" + this.temp.resolve("other.jfr") + ",jfr");
		Profiler profiler = new Profiler(settings().build());
		try {
			profiler.start(false, false);
			ProfilerStatus status = profiler.status();
			assertThat(status.state()).isEqualTo(ProfilerStatus.State.RUNNING);
			assertThat(status.engine()).isEqualTo("jfr");
			assertThat(status.engineReason()).contains("async-profiler could not start")
				.contains("JDK Flight Recorder");
		}
		finally {
			profiler.stop(false);
			other.execute("stop");
		}
	}

	@Test
	void explicitAsyncProfilerWithoutItsClassesDegradesAndAutoFallsBackToJfr() {
		ClassLoader withoutAsyncProfiler = new ClassLoader(null) {
		};
		Profiler strict = new Profiler(settings().engine(EngineChoice.ASYNC_PROFILER).build(), withoutAsyncProfiler);
		strict.start(false, false);
		try {
			assertThat(strict.status().state()).isEqualTo(ProfilerStatus.State.DEGRADED);
			assertThat(strict.status().engineReason()).contains("not on the class path").contains("no fallback");
			assertThat(strict.status().problems()).isNotEmpty();
		}
		finally {
			strict.stop(false);
		}
		Profiler auto = new Profiler(settings().build(), withoutAsyncProfiler);
		auto.start(false, false);
		try {
			assertThat(auto.status().state()).isEqualTo(ProfilerStatus.State.RUNNING);
			assertThat(auto.status().engine()).isEqualTo("jfr");
		}
		finally {
			auto.stop(false);
		}
	}

	@Test
	void unusableTempDirectoryDegradesWithoutThrowing() throws Exception {
		// A path below a regular file cannot become a directory, whoever runs the test.
		Path file = Files.writeString(this.temp.resolve("a-file"), "not a directory");
		Profiler profiler = new Profiler(settings().tempDirectory(file.resolve("tmp")).build());
		profiler.start(false, false);
		assertThat(profiler.isRunning()).isFalse();
		assertThat(profiler.status().engineReason()).startsWith("could not prepare a working directory")
			.contains("a-file");
		assertThat(profiler.status().problems()).extracting(ProblemLog.Problem::kind).contains("start");
	}

	@Test
	void aStartThatFailsHalfWayLeavesNoThreadAndNoDirectoryBehind() throws Exception {
		// A temp directory whose path is so long that the work directory fits under the
		// system's
		// path limit (4095 bytes) and its "windows" directory does not: the start fails
		// after the
		// work directory exists, as on a disk that fills up at that moment.
		String prefix = "ddprof-" + ProcessHandle.current().pid() + "-";
		int length = 4095 - 1 - prefix.length() - 20;
		StringBuilder path = new StringBuilder(this.temp.toAbsolutePath().toString());
		while (path.length() < length) {
			int remaining = length - path.length() - 1;
			int segment = Math.min(200, remaining);
			if (remaining - segment == 1) {
				segment--;
			}
			path.append('/').append("d".repeat(segment));
		}
		Path deep = Files.createDirectories(Path.of(path.toString()));
		Set<Thread> before = ddprofThreads();
		Profiler profiler = new Profiler(settings().uploadEnabled(true).tempDirectory(deep).build());
		profiler.start(false, false);

		assertThat(profiler.isRunning()).isFalse();
		assertThat(profiler.status().engineReason()).startsWith("could not prepare a working directory");
		try (Stream<Path> left = Files.list(deep)) {
			assertThat(left).isEmpty();
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ddprofThreads()).isSubsetOf(before));
	}

	@Test
	void stopReturnsWithinItsBoundWhenAnExporterHangs() {
		CountDownLatch never = new CountDownLatch(1);
		Exporter hanging = new Exporter() {
			@Override
			public String name() {
				return "hanging";
			}

			@Override
			public void export(RecordedWindow profile) throws InterruptedException {
				never.await();
			}
		};
		Profiler profiler = new Profiler(settings().uploadTimeout(Duration.ofSeconds(2)).build());
		profiler.addExporter(hanging);
		profiler.start(false, false);
		long before = System.nanoTime();
		profiler.stop(true);
		Duration took = Duration.ofNanos(System.nanoTime() - before);
		// A hang guard, not a timing measurement: the bound is 2 s, a hang would be
		// forever.
		assertThat(took).isLessThan(Duration.ofSeconds(30));
		assertThat(profiler.isRunning()).isFalse();
		never.countDown();
	}

	@Test
	void disabledProfilerDoesNothing() {
		Profiler profiler = new Profiler(settings().enabled(false).build());
		profiler.start();
		assertThat(profiler.isRunning()).isFalse();
		assertThat(profiler.status().state()).isEqualTo(ProfilerStatus.State.DISABLED);
	}

	private static Set<Thread> ddprofThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("ddprof-") && thread.isAlive())
			.collect(Collectors.toSet());
	}

	private ProfilerSettings.Builder settings() {
		return ProfilerSettings.builder()
			.service("lifecycle-tests")
			.uploadEnabled(false)
			.uploadPeriod(Duration.ofSeconds(30))
			.tempDirectory(this.temp);
	}

}
