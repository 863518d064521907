package io.ddprof.window;

import java.nio.file.Path;
import java.time.Instant;

import io.ddprof.engine.RecordingOptions;
import org.jspecify.annotations.Nullable;

/**
 * One window of the continuous recording: a JFR file on disk covering
 * {@code [start, end)}, cut by the {@link WindowRotator} (or, for a download, the current
 * window copied up to now). The window consumers (exporters, history, summary) receive a
 * finished window on the export thread; the file belongs to the window rotation and is
 * deleted once every consumer has returned, so a consumer that needs the data later links
 * or copies the file ({@link #jfr()}) into a place of its own.
 *
 * @param sequence the window's number since the profiler started, from 1
 * @param start when the recording of this window started
 * @param end when it stopped
 * @param engine the engine that recorded it ({@code async-profiler} or {@code jfr})
 * @param jfr the JFR file
 * @param snapshot why the window was cut
 * @param seamNanos time left unrecorded between the previous window's end and this one's
 * start
 * @param options what the engine recorded, or {@code null} when not known; readers take
 * sampling periods from here where the file does not say them (a window cut by
 * async-profiler's {@code dump} carries no settings of its own)
 */
public record RecordedWindow(long sequence, Instant start, Instant end, String engine, Path jfr, Snapshot snapshot,
		long seamNanos, @Nullable RecordingOptions options) {

	/** A window whose recording options are not known. */
	public RecordedWindow(long sequence, Instant start, Instant end, String engine, Path jfr, Snapshot snapshot,
			long seamNanos) {
		this(sequence, start, end, engine, jfr, snapshot, seamNanos, null);
	}

	/** The same window with its data in another file. */
	public RecordedWindow withFile(Path file) {
		return new RecordedWindow(this.sequence, this.start, this.end, this.engine, file, this.snapshot, this.seamNanos,
				this.options);
	}

	/** Why a window was cut, as Datadog's {@code snapshot} tag says it. */
	public enum Snapshot {

		/** The upload period elapsed. */
		PERIODIC("periodic"),

		/**
		 * The profiler stopped with flush (application shutdown or {@code stop(true)}).
		 */
		ON_SHUTDOWN("on_shutdown"),

		/** Cut on demand (the actuator endpoint's "cut now"). */
		ON_DEMAND("on_demand");

		private final String tag;

		Snapshot(String tag) {
			this.tag = tag;
		}

		/** The value of Datadog's {@code snapshot} tag. */
		public String tag() {
			return this.tag;
		}

	}

}
