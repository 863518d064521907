package io.ddprof.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;

import io.ddprof.window.RecordedWindow;
import io.ddprof.window.RecordedWindow.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The local directory: bounded across restarts, readable by its user only. */
class LocalDirectoryExporterTests {

	private static final Instant START = Instant.parse("2026-11-25T13:39:41Z");

	@TempDir
	Path temp;

	@Test
	void windowsAnEarlierRunLeftCountTowardsTheBoundOldestDeletedFirst() throws Exception {
		Path directory = Files.createDirectories(this.temp.resolve("profiles"));
		Path oldest = earlier(directory, "orders-20261125T100000Z-41-1-periodic.jfr", "2026-11-25T10:00:00Z");
		Path older = earlier(directory, "orders-20261125T100100Z-41-2-periodic.jfr", "2026-11-25T10:01:00Z");
		Path newer = earlier(directory, "orders-20261125T100200Z-41-3-on_shutdown.jfr", "2026-11-25T10:02:00Z");
		Path notOurs = Files.write(directory.resolve("notes.jfr"), new byte[1000]);

		LocalDirectoryExporter exporter = new LocalDirectoryExporter(directory, 250, "orders");
		assertThat(oldest).doesNotExist();
		assertThat(older).exists();
		assertThat(exporter.status().files()).isEqualTo(2);

		exporter.export(window(1));
		assertThat(older).doesNotExist();
		assertThat(newer).exists();
		assertThat(notOurs).exists();
		assertThat(exporter.status().files()).isEqualTo(2);
		assertThat(exporter.status().bytes()).isEqualTo(200);
		assertThat(exporter.status().deleted()).isEqualTo(2);
	}

	@Test
	void aDirectoryItCreatesAndItsFilesAreReadableByTheUserOnly() throws Exception {
		Path directory = this.temp.resolve("shared/profiles");
		LocalDirectoryExporter exporter = new LocalDirectoryExporter(directory, 1 << 20, "orders");
		exporter.export(window(1));
		assertThat(Files.getPosixFilePermissions(directory)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
		assertThat(Files.getPosixFilePermissions(directory.getParent()))
			.isEqualTo(PosixFilePermissions.fromString("rwx------"));
		try (Stream<Path> files = Files.list(directory)) {
			assertThat(files.toList()).singleElement()
				.satisfies((file) -> assertThat(Files.getPosixFilePermissions(file))
					.isEqualTo(PosixFilePermissions.fromString("rw-------")));
		}
	}

	private static Path earlier(Path directory, String name, String modified) throws Exception {
		Path file = Files.write(directory.resolve(name), new byte[100]);
		Files.setLastModifiedTime(file, FileTime.from(Instant.parse(modified)));
		return file;
	}

	private RecordedWindow window(long sequence) throws Exception {
		Path jfr = Files.write(this.temp.resolve("window-" + sequence + ".jfr"), new byte[100]);
		Files.setPosixFilePermissions(jfr, PosixFilePermissions.fromString("rw-r--r--"));
		return new RecordedWindow(sequence, START, START.plusSeconds(60), "async-profiler", jfr, Snapshot.PERIODIC, 0);
	}

}
