package io.ddprof.spring.actuate;

import io.ddprof.window.RecordedWindow;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What {@code POST /actuator/profiler} answers.
 *
 * @param action the action asked for ({@code cut}, {@code start}, {@code stop}), or
 * {@code null}
 * @param error why the action was refused or failed, or {@code null} when it was done
 * @param window the window cut by {@code cut}, or {@code null}
 * @param status the profiler's status after the action, or {@code null} when it was
 * refused
 */
public record ProfilerActionResponse(@Nullable String action, @Nullable String error, @Nullable CutWindow window,
		@Nullable ProfilerStatusDescriptor status) implements OperationResponseBody {

	static ProfilerActionResponse done(String action, @Nullable RecordedWindow cut, ProfilerStatusDescriptor status) {
		return new ProfilerActionResponse(action, null, (cut != null) ? CutWindow.of(cut) : null, status);
	}

	static ProfilerActionResponse refused(@Nullable String action, String error) {
		return new ProfilerActionResponse(action, error, null, null);
	}

	/**
	 * A window cut on demand; it goes to every exporter like any other (history, local
	 * directory, upload).
	 *
	 * @param sequence its number since start
	 * @param start when it started
	 * @param end when it was cut
	 * @param snapshot why it was cut, as Datadog's {@code snapshot} tag says it
	 * ({@code on_demand})
	 */
	public record CutWindow(long sequence, String start, String end, String snapshot) {

		static CutWindow of(RecordedWindow profile) {
			return new CutWindow(profile.sequence(), profile.start().toString(), profile.end().toString(),
					profile.snapshot().tag());
		}

	}

}
