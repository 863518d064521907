package io.ddprof.spring.actuate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.ddprof.Profiler;
import io.ddprof.export.ProfileHistory;
import io.ddprof.format.CollapsedWriter;
import io.ddprof.format.FlameGraphWriter;
import io.ddprof.format.PprofWriter;
import io.ddprof.format.ProfileReader;
import io.ddprof.format.Samples;
import io.ddprof.window.RecordedWindow;

/**
 * Writes what a {@link Profiler} recorded lately in one format: the windows of the
 * history that ended within the look-back time, and a copy of the current window up to
 * now (so the last seconds are included), to a temporary file. A download disturbs
 * nothing: the current window is copied, not cut, so the window boundaries, the history,
 * the upload queue and the local directory are the same as without it. The history's
 * files are linked into a directory of the dump's own while the history holds them, so
 * that reading them does not hold up the export of new windows.
 */
final class ProfileDumper {

	private final Profiler profiler;

	ProfileDumper(Profiler profiler) {
		this.profiler = profiler;
	}

	/**
	 * Writes the windows that ended after {@code now - lookBack}, whole, and the current
	 * window up to now.
	 * @return the file written, under the profiler's temp directory; the caller deletes
	 * it
	 * @throws Unavailable when the profiler is not recording or nothing was recorded
	 * @throws IOException when the windows cannot be read or the file cannot be written
	 */
	Dump dump(DumpRequest request) throws Unavailable, IOException {
		Instant since = Instant.now().minus(request.lookBack());
		ProfileHistory history = this.profiler.history();
		if (history == null) {
			throw new Unavailable("the profiler stopped");
		}
		Path temp = tempDirectory();
		Path staging = Files.createTempDirectory(temp, "ddprof-dump-");
		try {
			List<RecordedWindow> windows = new ArrayList<>(history.read(since, (held) -> stage(held, staging)));
			RecordedWindow current = this.profiler.copyCurrentWindow(staging.resolve("current.jfr"));
			if (current != null) {
				windows.add(current);
			}
			if (windows.isEmpty()) {
				throw new Unavailable("no window was recorded in the last " + request.lookBack().toSeconds() + "s");
			}
			Path file = Files.createTempFile(temp, "ddprof-dump-", request.format().extension());
			try (OutputStream out = Files.newOutputStream(file)) {
				write(request, windows, out);
			}
			catch (IOException | RuntimeException ex) {
				Files.deleteIfExists(file);
				throw ex;
			}
			return new Dump(file, windows.get(0).start(), windows.get(windows.size() - 1).end(), windows.size());
		}
		finally {
			deleteTree(staging);
		}
	}

	private void write(DumpRequest request, List<RecordedWindow> windows, OutputStream out) throws IOException {
		if (request.format() == DumpFormat.JFR) {
			for (RecordedWindow window : windows) {
				Files.copy(window.jfr(), out);
			}
			return;
		}
		Samples samples = ProfileReader.readWindows(windows);
		switch (request.format()) {
			case PPROF -> PprofWriter.write(samples, request.filter(), out);
			case COLLAPSED -> CollapsedWriter.write(samples, request.filter(), out);
			case FLAMEGRAPH -> FlameGraphWriter.write(samples, request.filter(), title(request, windows), out);
			default -> throw new IllegalStateException("Unexpected format " + request.format());
		}
	}

	private String title(DumpRequest request, List<RecordedWindow> windows) {
		StringBuilder title = new StringBuilder(this.profiler.settings().service()).append(": ")
			.append(request.event().id())
			.append(", ")
			.append(windows.get(0).start())
			.append(" to ")
			.append(windows.get(windows.size() - 1).end());
		if (request.endpoint() != null) {
			title.append(", endpoint ").append(request.endpoint());
		}
		if (request.traceId() != null) {
			title.append(", trace ").append(request.traceId());
		}
		return title.toString();
	}

	/**
	 * Links (or copies) the held windows into {@code staging}, while the history keeps
	 * them.
	 */
	private static List<RecordedWindow> stage(List<RecordedWindow> held, Path staging) throws IOException {
		List<RecordedWindow> staged = new ArrayList<>(held.size());
		for (RecordedWindow window : held) {
			Path copy = staging.resolve("window-" + window.sequence() + ".jfr");
			try {
				Files.createLink(copy, window.jfr());
			}
			catch (IOException | UnsupportedOperationException ex) {
				Files.copy(window.jfr(), copy);
			}
			staged.add(window.withFile(copy));
		}
		return staged;
	}

	private Path tempDirectory() throws IOException {
		Path temp = this.profiler.settings().tempDirectory();
		if (temp == null) {
			temp = Path.of(System.getProperty("java.io.tmpdir"));
		}
		return Files.createDirectories(temp);
	}

	private static void deleteTree(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			// Under the temp directory, left for the operating system's cleaning.
		}
	}

	/**
	 * A profile written to a file.
	 *
	 * @param file the file
	 * @param start when the first window in it started
	 * @param end when the last one ended
	 * @param windows how many windows it covers
	 */
	record Dump(Path file, Instant start, Instant end, int windows) {
	}

	/** The profiler has nothing to give: it is not recording, or recorded nothing yet. */
	static final class Unavailable extends Exception {

		Unavailable(String message) {
			super(message, null, false, false);
		}

	}

}
