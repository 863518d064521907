package io.ddprof.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ddprof.engine.RecordingOptions;
import io.ddprof.window.RecordedWindow;
import org.jspecify.annotations.Nullable;

import io.ddprof.format.JfrEventTypes.Source;
import one.jfr.JfrReader;

/**
 * Reads recorded windows into {@link Samples}, joined to spans: a sample belongs to the
 * innermost span in scope on its thread at its time, and carries the endpoint recorded
 * for that span's local root span anywhere in the files read. Files of both engines are
 * read (async-profiler's and the JDK Flight Recorder's), told apart by their event types.
 * Reading runs on the caller's thread and streams each file; memory grows with the number
 * of samples and spans, not with the file size.
 */
public final class ProfileReader {

	private ProfileReader() {
	}

	/** Reads one window. */
	public static Samples read(Path file) throws IOException {
		return read(List.of(file));
	}

	/**
	 * Reads consecutive windows as one profile: a span that began in one window and ended
	 * in the next applies to the samples of both.
	 * @throws IOException when a file cannot be read or is not a complete JFR recording
	 */
	public static Samples read(List<Path> files) throws IOException {
		SampleCollector collector = new SampleCollector();
		for (Path file : files) {
			read(file, collector, Map.of());
		}
		return collector.build();
	}

	/**
	 * Reads consecutive windows of this process as one profile, taking each window's
	 * sampling periods from its recording options where its file does not carry them.
	 * @throws IOException when a file cannot be read or is not a complete JFR recording
	 */
	public static Samples readWindows(List<RecordedWindow> windows) throws IOException {
		SampleCollector collector = new SampleCollector();
		for (RecordedWindow window : windows) {
			read(window.jfr(), collector, knownSettings(window.options()));
		}
		return collector.build();
	}

	private static Map<String, Long> knownSettings(@Nullable RecordingOptions options) {
		Map<String, Long> settings = new HashMap<>();
		if (options != null) {
			if (options.cpuInterval() != null) {
				settings.put("interval", options.cpuInterval().toNanos());
			}
			if (options.wallInterval() != null) {
				settings.put("wall", options.wallInterval().toNanos());
			}
			if (options.allocInterval() != null) {
				settings.put("alloc", options.allocInterval());
			}
			if (options.lockThreshold() != null) {
				settings.put("lock", options.lockThreshold().toNanos());
			}
		}
		return settings;
	}

	private static void read(Path file, SampleCollector collector, Map<String, Long> knownSettings) throws IOException {
		try {
			Source source;
			try (JfrReader jfr = new JfrReader(file.toString())) {
				source = Source.of(jfr.typesByName.keySet());
				if (source == Source.ASYNC_PROFILER) {
					AsyncProfilerFile.read(jfr, collector, knownSettings);
				}
			}
			if (source == Source.JDK) {
				JdkRecordingFile.read(file, collector);
			}
		}
		catch (IOException ex) {
			throw new IOException("Cannot read " + file.getFileName() + ": " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			// The parsers signal corrupt data with unchecked exceptions (buffer
			// underflow, unknown
			// constants): to the caller it is an unreadable file like any other.
			throw new IOException("Cannot read " + file.getFileName() + ": " + ex, ex);
		}
	}

}
