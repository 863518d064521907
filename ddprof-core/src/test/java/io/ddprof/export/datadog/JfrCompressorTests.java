package io.ddprof.export.datadog;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.ddprof.config.Compression;
import io.ddprof.format.RecordedWindows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link JfrCompressor}. */
class JfrCompressorTests {

	@TempDir
	Path temp;

	@ParameterizedTest
	@EnumSource(Compression.class)
	void compressesARealRecordingThatReadsBackUnchanged(Compression compression) throws IOException {
		Path jfr = RecordedWindows.asyncProfiler().copyFile(this.temp.resolve("window.jfr"));
		Path target = this.temp.resolve("queued");

		assertThat(JfrCompressor.compress(jfr, target, compression)).isEqualTo(compression);

		byte[] original = Files.readAllBytes(jfr);
		byte[] stored = Files.readAllBytes(target);
		assertThat(DatadogExporterTests.decompress(stored, compression)).isEqualTo(original);
		assertThat(JfrCompressor.isCompressed(target)).isEqualTo(compression != Compression.OFF);
		if (compression != Compression.OFF) {
			assertThat(stored.length).isLessThan(original.length);
		}
	}

	@ParameterizedTest
	@EnumSource(value = Compression.class, names = { "ZSTD", "LZ4", "GZIP" })
	void neverCompressesTwice(Compression compression) throws IOException {
		Path jfr = RecordedWindows.asyncProfiler().copyFile(this.temp.resolve("window.jfr"));
		Path once = this.temp.resolve("once");
		JfrCompressor.compress(jfr, once, compression);
		Path twice = this.temp.resolve("twice");

		assertThat(JfrCompressor.compress(once, twice, Compression.ZSTD)).isEqualTo(Compression.OFF);
		assertThat(Files.readAllBytes(twice)).isEqualTo(Files.readAllBytes(once));
	}

	@Test
	void recognisesZipDataAsCompressedAndAShortFileAsNot() throws IOException {
		assertThat(JfrCompressor.isCompressed(Files.write(this.temp.resolve("zip"), new byte[] { 'P', 'K', 3, 4, 0 })))
			.isTrue();
		assertThat(JfrCompressor.isCompressed(Files.write(this.temp.resolve("short"), new byte[] { 0x28 }))).isFalse();
		assertThat(JfrCompressor.isCompressed(Files.write(this.temp.resolve("empty"), new byte[0]))).isFalse();
	}

	@Test
	void storesUncompressedDataAsAHardLinkSoTheCallerMayDeleteItsFile() throws IOException {
		Path jfr = RecordedWindows.asyncProfiler().copyFile(this.temp.resolve("window.jfr"));
		byte[] original = Files.readAllBytes(jfr);
		Path target = this.temp.resolve("queued.jfr");

		JfrCompressor.compress(jfr, target, Compression.OFF);

		assertThat(Files.isSameFile(jfr, target)).isTrue();
		Files.delete(jfr);
		assertThat(Files.readAllBytes(target)).isEqualTo(original);
	}

	@Test
	void neverOverwritesAFileAlreadyInTheQueue() throws IOException {
		Path jfr = RecordedWindows.asyncProfiler().copyFile(this.temp.resolve("window.jfr"));
		Path target = Files.writeString(this.temp.resolve("taken"), "someone else's");

		assertThatExceptionOfType(FileAlreadyExistsException.class)
			.isThrownBy(() -> JfrCompressor.compress(jfr, target, Compression.GZIP));
		assertThat(Files.readString(target)).isEqualTo("someone else's");
	}

}
