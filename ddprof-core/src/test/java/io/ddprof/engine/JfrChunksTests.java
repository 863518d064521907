package io.ddprof.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.ddprof.context.JfrSpanEvent;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/** Tests for {@link JfrChunks}. */
class JfrChunksTests {

	@TempDir
	Path temp;

	@Test
	void aCopyCutShortLeavesNoFileBehind() throws IOException {
		Path source = Files.write(this.temp.resolve("source.jfr"), new byte[100]);
		Path target = this.temp.resolve("window.jfr");
		// The source ends before the range does, as a disk that fills up ends the copy
		// early.
		assertThatIOException().isThrownBy(() -> JfrChunks.copy(source, 0, 200, target));
		assertThat(target).doesNotExist();
		JfrChunks.copy(source, 10, 100, target);
		assertThat(Files.size(target)).isEqualTo(90);
	}

	@Test
	void copyStartingAtKeepsTheChunksThatBeganThenOrLater() throws IOException {
		Path first = record("first", this.temp.resolve("first.jfr"));
		Instant secondStart;
		Path second = this.temp.resolve("second.jfr");
		try (Recording recording = new Recording(Map.of(JfrSpanEvent.NAME + "#enabled", "true"))) {
			recording.start();
			secondStart = recording.getStartTime();
			commit("second");
			recording.stop();
			recording.dump(second);
		}
		Path both = this.temp.resolve("both.jfr");
		try (OutputStream out = Files.newOutputStream(both)) {
			Files.copy(first, out);
			Files.copy(second, out);
		}
		assertThat(tags(both)).containsExactly("first", "second");

		Path window = this.temp.resolve("window.jfr");
		JfrChunks.copyStartingAt(both, secondStart.getEpochSecond() * 1_000_000_000L + secondStart.getNano(), window);
		assertThat(tags(window)).containsExactly("second");
		Path none = this.temp.resolve("none.jfr");
		JfrChunks.copyStartingAt(both, Long.MAX_VALUE, none);
		assertThat(none).as("no chunk began that late").doesNotExist();
	}

	private static Path record(String tag, Path file) throws IOException {
		try (Recording recording = new Recording(Map.of(JfrSpanEvent.NAME + "#enabled", "true"))) {
			recording.start();
			commit(tag);
			recording.stop();
			recording.dump(file);
		}
		return file;
	}

	private static void commit(String tag) {
		JfrSpanEvent event = new JfrSpanEvent();
		event.tag(tag);
		event.commit();
	}

	private static List<String> tags(Path file) throws IOException {
		return RecordingFile.readAllEvents(file)
			.stream()
			.filter((event) -> event.getEventType().getName().equals(JfrSpanEvent.NAME))
			.map((RecordedEvent event) -> event.getString("tag"))
			.toList();
	}

}
