package io.ddprof.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.JfrSpanEvent;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JfrEngine}: windows cut from one recording, and a JVM exit racing a
 * cut.
 */
class JfrEngineTests {

	@TempDir
	Path temp;

	@Test
	void everyEventCommittedWhileCuttingLandsInExactlyOneWindow() throws Exception {
		JfrEngine engine = new JfrEngine();
		RecordingOptions options = new SamplingPlan(ProfilerSettings.builder().build(), new Random(1)).next(1, false);
		engine.start(this.temp, options);
		AtomicBoolean running = new AtomicBoolean(true);
		long[] committed = new long[1];
		Thread marker = new Thread(() -> {
			long n = 0;
			while (running.get()) {
				engine.spanSink().mark("seq " + n++);
				// A steady stream the recorder's buffers can take: a flood would lose
				// events in
				// the Flight Recorder itself, seam or no seam.
				LockSupport.parkNanos(20_000);
			}
			committed[0] = n;
		}, "marker");
		marker.start();
		List<Path> windows = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Thread.sleep(150);
			Path window = this.temp.resolve("window-" + i + ".jfr");
			assertThat(engine.cut(window, options)).as("unrecorded nanoseconds at the seam").isZero();
			windows.add(window);
		}
		Thread.sleep(150);
		running.set(false);
		marker.join();
		Path last = this.temp.resolve("window-last.jfr");
		engine.stop(last);
		windows.add(last);

		boolean[] seen = new boolean[(int) committed[0]];
		List<String> duplicates = new ArrayList<>();
		for (Path window : windows) {
			int inWindow = 0;
			for (RecordedEvent event : RecordingFile.readAllEvents(window)) {
				if (event.getEventType().getName().equals(JfrSpanEvent.NAME)) {
					int n = Integer.parseInt(event.getString("tag").substring(4));
					if (seen[n]) {
						duplicates.add(event.getString("tag"));
					}
					seen[n] = true;
					inWindow++;
				}
			}
			assertThat(inWindow).as("span events in %s", window.getFileName()).isPositive();
		}
		assertThat(duplicates).as("events found in two windows").isEmpty();
		List<Integer> missing = new ArrayList<>();
		for (int n = 0; n < seen.length; n++) {
			if (!seen[n]) {
				missing.add(n);
			}
		}
		assertThat(missing).as("events of %d committed found in no window", seen.length).isEmpty();
	}

	@Test
	void eventsThatCanCarryASecretAreOffInEveryWindowsSettings() {
		Map<String, String> settings = JfrEngine.settings(new RecordingOptions(Duration.ofMillis(10),
				Duration.ofMillis(50), false, 16, null, 200, true, Duration.ofMillis(10), 64));
		assertThat(JfrEngine.SECRET_BEARING_EVENTS)
			.contains("jdk.InitialSystemProperty", "jdk.JVMInformation", "jdk.InitialEnvironmentVariable")
			.allSatisfy((event) -> assertThat(settings).containsEntry(event + "#enabled", "false"));
	}

	@Test
	void stopWithoutWindowWritesNothingAndAllowsAStartAgain() throws Exception {
		JfrEngine engine = new JfrEngine();
		RecordingOptions options = new SamplingPlan(ProfilerSettings.builder().build(), new Random(1)).next(1, false);
		engine.start(this.temp, options);
		engine.stop(null);
		try (var files = Files.list(this.temp)) {
			assertThat(files).isEmpty();
		}
		engine.start(this.temp, options);
		Path window = this.temp.resolve("again.jfr");
		engine.stop(window);
		assertThat(RecordingFile.readAllEvents(window)).isNotEmpty();
	}

	@Test
	void aWindowThatCannotBeWrittenLeavesWhatWasThereAndTheNextCutHoldsItsEvents() throws Exception {
		JfrEngine engine = new JfrEngine();
		RecordingOptions options = new SamplingPlan(ProfilerSettings.builder().build(), new Random(1)).next(1, false);
		engine.start(this.temp, options);
		try {
			engine.spanSink().mark("before");
			Path inTheWay = Files.writeString(this.temp.resolve("window-1.jfr"), "not ours");
			assertThatExceptionOfType(EngineException.class).isThrownBy(() -> engine.cut(inTheWay, options));
			assertThat(inTheWay).hasContent("not ours");
			engine.spanSink().mark("after");
			Path next = this.temp.resolve("window-2.jfr");
			engine.cut(next, options);
			assertThat(RecordingFile.readAllEvents(next))
				.filteredOn((event) -> event.getEventType().getName().equals(JfrSpanEvent.NAME))
				.extracting((event) -> event.getString("tag"))
				.containsExactly("before", "after");
		}
		finally {
			engine.stop(null);
		}
	}

	/**
	 * On JDK 17, a recording started after the JVM's shutdown hook tore the Flight
	 * Recorder down waits forever, and the JVM never exits. A child JVM cuts windows as
	 * fast as it can and exits meanwhile; it must exit every time. With one recording
	 * started per window, about four runs in ten hung.
	 */
	@Test
	void aJvmExitingWhileWindowsAreCutStillExits() throws Exception {
		Random random = new Random();
		for (int run = 0; run < 8; run++) {
			Path directory = Files.createDirectories(this.temp.resolve("run-" + run));
			Path log = directory.resolve("child.log");
			long exitAfterMillis = 200 + random.nextInt(600);
			Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-cp", System.getProperty("java.class.path"), CuttingChild.class.getName(), directory.toString(),
					Long.toString(exitAfterMillis))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			// A hang guard, not a timing: a healthy child exits within a second or two.
			boolean exited = child.waitFor(60, TimeUnit.SECONDS);
			if (!exited) {
				child.destroyForcibly().waitFor();
			}
			assertThat(exited).as("run %d (exit after %d ms) exited; its output: %s", run, exitAfterMillis, read(log))
				.isTrue();
			assertThat(read(log)).as("run %d's output", run).contains("cuts: ");
		}
	}

	private static String read(Path log) throws IOException {
		return Files.exists(log) ? Files.readString(log) : "";
	}

	/**
	 * The child of {@link #aJvmExitingWhileWindowsAreCutStillExits}: cuts in a loop,
	 * exits after a delay.
	 */
	static final class CuttingChild {

		public static void main(String[] args) throws Exception {
			Path directory = Path.of(args[0]);
			JfrEngine engine = new JfrEngine();
			RecordingOptions options = new SamplingPlan(ProfilerSettings.builder().build(), new Random()).next(1,
					false);
			engine.start(directory, options);
			long[] cuts = new long[1];
			Thread cutter = new Thread(() -> {
				try {
					while (true) {
						Path window = directory.resolve("window.jfr");
						engine.cut(window, options);
						Files.delete(window);
						cuts[0]++;
					}
				}
				catch (EngineException | IOException ex) {
					// The JVM's exit stopped the recording: the expected end of this
					// loop.
				}
			}, "cutter");
			cutter.setDaemon(true);
			cutter.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> engine.stop(directory.resolve("last.jfr"))));
			Thread.sleep(Long.parseLong(args[1]));
			System.out.println("cuts: " + cuts[0]);
			System.exit(0);
		}

	}

}
