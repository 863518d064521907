package io.ddprof;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.ddprof.config.IgnoredVariable;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.LocalDirectoryExporter.LocalStatus;
import io.ddprof.export.WindowStore;
import io.ddprof.export.WindowSummary;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.problem.ProblemLog.Problem;
import io.ddprof.profile.EventType;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the profiler, for logs, the actuator endpoint and metrics. Holds no
 * secret.
 *
 * @param state what the profiler is doing
 * @param enabled whether {@code ddprof.enabled} is true
 * @param engine the engine recording ({@code async-profiler}, {@code jfr}) or
 * {@code none}
 * @param engineReason why that engine runs (or none)
 * @param events the events recorded in the current window and their intervals
 * @param service service name
 * @param env environment, or {@code null}
 * @param version version, or {@code null}
 * @param tags the user's tags
 * @param startedAt when the profiler started, or {@code null}
 * @param currentWindowStart when the window being recorded started, or {@code null}
 * @param windowsRecorded windows finished since start
 * @param windowsDropped windows dropped before reaching the exporters, lost ones included
 * (the engine could not write them: a full disk, say); every other window reached every
 * exporter
 * @param lastSeam unrecorded time at the last window boundary
 * @param maxSeam longest unrecorded time at any window boundary
 * @param allocationReplans restarts within a window to follow the allocation rate
 * @param unrecorded unrecorded time at every window boundary and replan since start
 * @param profilerCpuTime CPU time the profiler's own threads spent on rotation and export
 * @param history the in-memory history of windows
 * @param local the local directory, or {@code null} when off
 * @param upload the upload to the Datadog agent or intake, or {@code null} when off
 * @param pipelines the uploads to open pipelines that are on ({@code otlp},
 * {@code pyroscope}), by name
 * @param lastWindow samples and per-endpoint totals of the last finished window, or
 * {@code null}
 * @param totalSamples samples of each profile type in every window since start
 * @param exporters the names of the exporters receiving windows
 * @param problems recent problems, newest first
 * @param ignoredVariables Datadog variables whose values could not be used (secrets
 * masked)
 */
public record ProfilerStatus(State state, boolean enabled, String engine, @Nullable String engineReason,
		Map<String, String> events, String service, @Nullable String env, @Nullable String version,
		Map<String, String> tags, @Nullable Instant startedAt, @Nullable Instant currentWindowStart,
		long windowsRecorded, long windowsDropped, Duration lastSeam, Duration maxSeam, long allocationReplans,
		Duration unrecorded, Duration profilerCpuTime, WindowStore.Usage history, @Nullable LocalStatus local,
		@Nullable UploadStatus upload, Map<String, UploadStatus> pipelines, @Nullable WindowSummary lastWindow,
		Map<EventType, Long> totalSamples, List<String> exporters, List<Problem> problems,
		List<IgnoredVariable> ignoredVariables) {

	/**
	 * The status of a profiler that runs no session: not started, stopped, or disabled.
	 * @param settings the settings in force
	 * @param reason why no session runs (ignored when disabled)
	 * @param exporters the names of the exporters the application added
	 * @param problems recent problems, newest first
	 */
	static ProfilerStatus notRunning(ProfilerSettings settings, String reason, List<String> exporters,
			List<Problem> problems) {
		State state = settings.enabled() ? State.STOPPED : State.DISABLED;
		return new ProfilerStatus(state, settings.enabled(), "none",
				settings.enabled() ? reason : "ddprof.enabled=false", Map.of(), settings.service(), settings.env(),
				settings.version(), settings.tags(), null, null, 0, 0, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO,
				Duration.ZERO, new WindowStore.Usage(0, 0, 0), null, null, Map.of(), null, Map.of(), exporters,
				problems, settings.ignoredVariables());
	}

	/** What the profiler is doing. */
	public enum State {

		/** Not started, or stopped. */
		STOPPED,

		/** Started, waiting for {@code ddprof.start-delay} to pass. */
		STARTING,

		/** Recording. */
		RUNNING,

		/**
		 * Started, but not recording: no engine could run (see {@code engineReason} and
		 * problems).
		 */
		DEGRADED,

		/** {@code ddprof.enabled=false}: {@code start()} does nothing. */
		DISABLED

	}

}
