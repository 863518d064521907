package io.ddprof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.testing.JfrEvents;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM prepared with {@link Profiler#prepare(ProcessBuilder)} profiles itself with
 * the parent's service, env, version and tags and its own process id. Runs after
 * packaging, since the child loads the core jar as a {@code -javaagent}.
 */
class ChildProcessProfilingIT {

	@TempDir
	Path temp;

	@Test
	void childJvmIsProfiledWithTheParentsSettings() throws Exception {
		Path local = this.temp.resolve("local");
		Profiler parent = new Profiler(ProfilerSettings.builder()
			.service("parent-svc")
			.env("staging")
			.version("2.0.1")
			.tags(Map.of("team", "backend"))
			.uploadEnabled(false)
			.uploadPeriod(Duration.ofSeconds(60))
			.localDirectory(local)
			.tempDirectory(this.temp)
			.build());
		parent.start(false, true);
		try {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
					ChildMain.class.getName(), "2000");
			builder.redirectErrorStream(true);
			parent.prepare(builder);
			assertThat(builder.environment().get("JAVA_TOOL_OPTIONS")).contains("-javaagent:");
			Process child = builder.start();
			String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(child.exitValue()).as(output).isZero();
			assertThat(output).contains("service=parent-svc env=staging version=2.0.1 tags={team=backend}");

			String childPid = Long.toString(child.pid());
			List<Path> childWindows = jfrFiles(local).stream()
				.filter((file) -> file.getFileName().toString().contains("-" + childPid + "-"))
				.toList();
			assertThat(childWindows).as(output).hasSize(1);
			assertThat(childWindows.get(0).getFileName().toString()).startsWith("parent-svc-")
				.endsWith("-on_shutdown.jfr");
			// The main thread shows as "DestroyJavaVM" by the time the JVM exits: match
			// on the stack only.
			List<RecordedEvent> samples = JfrEvents.read(childWindows).of(Set.of("jdk.ExecutionSample"));
			assertThat(samples).anyMatch((event) -> JfrEvents.stackHas(event, "burnInChild"));
		}
		finally {
			parent.stop(false);
		}
	}

	private static List<Path> jfrFiles(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((file) -> file.toString().endsWith(".jfr")).toList();
		}
	}

}
