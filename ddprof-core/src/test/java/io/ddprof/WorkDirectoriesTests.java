package io.ddprof;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.ddprof.problem.ProblemLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Work directories: this run's readable by its user only, those of crashed runs removed,
 * nobody else's touched.
 */
class WorkDirectoriesTests {

	// Above the largest process id Linux hands out (2^22): never a live process.
	private static final long GONE = 999_999_999L;

	private static final long PID = ProcessHandle.current().pid();

	@TempDir
	Path temp;

	private final ProblemLog problems = new ProblemLog(Clock.systemUTC(), Duration.ofMinutes(5));

	@Test
	void thisRunsDirectoryIsReadableByItsUserOnly() throws Exception {
		Path created = WorkDirectories.create(this.temp.resolve("tmp"), this.problems);
		assertThat(created.getFileName().toString()).startsWith("ddprof-" + PID + "-");
		assertThat(Files.getPosixFilePermissions(created)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
		assertThat(Files.getPosixFilePermissions(created.getParent()))
			.isEqualTo(PosixFilePermissions.fromString("rwx------"));
	}

	@Test
	void directoriesOfProcessesThatAreGoneAreRemovedAtTheNextStart() throws Exception {
		Path crashed = Files.createDirectories(this.temp.resolve("ddprof-" + GONE + "-x1/windows"));
		Files.writeString(crashed.resolve("window-7.jfr"), "left over");
		Path oldSpool = Files.createDirectories(this.temp.resolve("ddprof-" + GONE + "/upload"));
		// Containers give a restarted service the same process id: what predates this JVM
		// is stale.
		Path samePidEarlier = Files.createDirectories(this.temp.resolve("ddprof-" + PID + "-earlier"));
		Files.setLastModifiedTime(samePidEarlier, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
		Path live = Files.createDirectories(this.temp.resolve("ddprof-" + PID + "-live"));

		WorkDirectories.create(this.temp, this.problems);

		assertThat(crashed.getParent()).doesNotExist();
		assertThat(oldSpool.getParent()).doesNotExist();
		assertThat(samePidEarlier).doesNotExist();
		assertThat(live).isDirectory();
		assertThat(this.problems.recent()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).startsWith("removed 3 work directories left in"));
	}

	@Test
	void whatIsNotDdprofsOwnDirectoryIsLeftAlone() throws Exception {
		Path target = Files.createDirectories(this.temp.resolve("someone-elses"));
		Path precious = Files.writeString(target.resolve("precious"), "keep");
		Path link = Files.createSymbolicLink(this.temp.resolve("ddprof-" + GONE + "-link"), target);
		Path file = Files.writeString(this.temp.resolve("ddprof-" + (GONE - 1)), "a file");
		Path other = Files.createDirectories(this.temp.resolve("ddprof-agent-" + GONE + "-x.jar.d"));

		WorkDirectories.create(this.temp, this.problems);

		assertThat(link).isSymbolicLink();
		assertThat(precious).hasContent("keep");
		assertThat(file).isRegularFile();
		assertThat(other).isDirectory();
		assertThat(this.problems.recent()).isEmpty();
	}

}
