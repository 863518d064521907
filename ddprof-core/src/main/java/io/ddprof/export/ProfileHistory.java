package io.ddprof.export;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.ddprof.window.RecordedWindow;

/**
 * The last windows, bounded by {@code ddprof.history.max-windows} and
 * {@code ddprof.history.max-size}, kept as files under the temp directory (not on the
 * heap) so that the actuator endpoint can answer "what happened in the last five minutes"
 * without waiting for a new recording.
 */
public final class ProfileHistory implements WindowConsumer {

	private final WindowStore store;

	/** A history in {@code directory}. */
	public ProfileHistory(Path directory, int maxWindows, long maxBytes) {
		this.store = new WindowStore(directory, maxWindows, maxBytes);
	}

	@Override
	public String name() {
		return "history";
	}

	/** Keeps the window, pruning the oldest beyond the bounds. */
	@Override
	public void accept(RecordedWindow window) throws IOException {
		this.store.add(window, "window-" + window.sequence() + ".jfr");
	}

	/**
	 * Reads the windows that ended after {@code since} (all when {@code null}), oldest
	 * first, with their files guaranteed to stay until {@code reader} returns.
	 */
	public <T> T read(Instant since, WindowStore.Reader<T> reader) throws IOException {
		return this.store.read((windows) -> reader.read(
				(since == null) ? windows : windows.stream().filter((window) -> window.end().isAfter(since)).toList()));
	}

	/**
	 * The windows held now, oldest first; their files may be pruned at any time after
	 * this returns.
	 */
	public List<RecordedWindow> windows() throws IOException {
		return this.store.read(List::copyOf);
	}

	/** What the history holds. */
	public WindowStore.Usage usage() {
		return this.store.usage();
	}

	@Override
	public void close(long deadlineNanos) {
		this.store.clear();
	}

}
