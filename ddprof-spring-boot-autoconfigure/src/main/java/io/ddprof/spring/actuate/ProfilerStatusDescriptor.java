package io.ddprof.spring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddprof.ProfilerStatus;
import io.ddprof.config.IgnoredVariable;
import io.ddprof.export.LocalDirectoryExporter.LocalStatus;
import io.ddprof.export.WindowStore;
import io.ddprof.export.WindowSummary;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.format.EndpointTotals;
import io.ddprof.problem.ProblemLog.Problem;
import io.ddprof.profile.EventType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What {@code GET /actuator/profiler} answers: {@link ProfilerStatus} in a form any JSON
 * mapper writes the same way (instants as ISO-8601 strings, durations in milliseconds,
 * profile types by their lower-case names). Holds no secret: the settings' API key is not
 * part of the status.
 *
 * @param enabled whether {@code ddprof.enabled} is true
 * @param state what the profiler is doing ({@code RUNNING}, {@code STOPPED}, ...)
 * @param engine the engine recording, or {@code none}
 * @param engineReason why that engine runs, or why none does
 * @param events the events recorded and their intervals
 * @param service service name
 * @param env environment, or {@code null}
 * @param version version, or {@code null}
 * @param tags the user's tags
 * @param startedAt when the profiler started, or {@code null}
 * @param currentWindowStart when the window being recorded started, or {@code null}
 * @param windowsRecorded windows finished since start
 * @param windowsDropped windows dropped before reaching the exporters
 * @param lastSeamMs unrecorded time at the last window boundary, in milliseconds
 * @param maxSeamMs longest unrecorded time at any window boundary, in milliseconds
 * @param allocationReplans restarts within a window to follow the allocation rate
 * @param unrecordedMs unrecorded time at every window boundary and replan since start, in
 * milliseconds
 * @param profilerCpuMs CPU time of the profiler's own threads, in milliseconds
 * @param history the windows held for downloads
 * @param local the local directory, or {@code null} when off
 * @param upload the upload to Datadog, or {@code null} when off
 * @param pipelines the uploads to OTLP and Pyroscope that are on, by name ({@code otlp},
 * {@code pyroscope})
 * @param lastWindow the last finished window and what each endpoint cost in it, or
 * {@code null}
 * @param totalSamples samples of each profile type since start
 * @param exporters the exporters receiving windows
 * @param problems recent problems, newest first
 * @param ignoredVariables Datadog variables whose values could not be used, secrets
 * masked
 */
public record ProfilerStatusDescriptor(boolean enabled, String state, String engine, String engineReason,
		Map<String, String> events, String service, @Nullable String env, @Nullable String version,
		Map<String, String> tags, @Nullable String startedAt, @Nullable String currentWindowStart, long windowsRecorded,
		long windowsDropped, double lastSeamMs, double maxSeamMs, long allocationReplans, double unrecordedMs,
		double profilerCpuMs, History history, @Nullable Local local, @Nullable Upload upload,
		Map<String, Upload> pipelines, @Nullable Window lastWindow, Map<String, Long> totalSamples,
		List<String> exporters, List<ProblemDescriptor> problems,
		List<IgnoredVariable> ignoredVariables) implements OperationResponseBody {

	/** Describes a status. */
	public static ProfilerStatusDescriptor of(ProfilerStatus status) {
		return new ProfilerStatusDescriptor(status.enabled(), status.state().name(), status.engine(),
				status.engineReason(), status.events(), status.service(), status.env(), status.version(), status.tags(),
				iso(status.startedAt()), iso(status.currentWindowStart()), status.windowsRecorded(),
				status.windowsDropped(), millis(status.lastSeam()), millis(status.maxSeam()),
				status.allocationReplans(), millis(status.unrecorded()), millis(status.profilerCpuTime()),
				History.of(status.history()), Local.of(status.local()), Upload.of(status.upload()),
				pipelines(status.pipelines()), Window.of(status.lastWindow()), byType(status.totalSamples()),
				status.exporters(), status.problems().stream().map(ProblemDescriptor::of).toList(),
				status.ignoredVariables());
	}

	static @Nullable String iso(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	private static double millis(@Nullable Duration duration) {
		return (duration != null) ? duration.toNanos() / 1_000_000.0 : 0;
	}

	private static Map<String, Upload> pipelines(Map<String, UploadStatus> pipelines) {
		Map<String, Upload> described = new LinkedHashMap<>();
		pipelines.forEach((name, upload) -> described.put(name, Upload.of(upload)));
		return described;
	}

	private static Map<String, Long> byType(Map<EventType, Long> counts) {
		Map<String, Long> byType = new LinkedHashMap<>();
		counts.forEach((type, count) -> byType.put(type.id(), count));
		return byType;
	}

	/**
	 * The windows held for downloads.
	 *
	 * @param windows windows held
	 * @param bytes their total size
	 * @param evicted windows deleted to stay within {@code ddprof.history.*}
	 */
	public record History(int windows, long bytes, long evicted) {

		static History of(WindowStore.Usage usage) {
			return new History(usage.windows(), usage.bytes(), usage.evicted());
		}

	}

	/**
	 * The local directory.
	 *
	 * @param directory absolute path
	 * @param files window files written by this process and still there
	 * @param bytes their total size
	 * @param deleted files deleted to stay within {@code ddprof.local.max-size}
	 */
	public record Local(String directory, int files, long bytes, long deleted) {

		static @Nullable Local of(@Nullable LocalStatus local) {
			return (local != null) ? new Local(local.directory(), local.files(), local.bytes(), local.deleted()) : null;
		}

	}

	/**
	 * An upload: to the Datadog agent or intake, an OTLP endpoint or Pyroscope.
	 *
	 * @param destination where profiles go (a URL without credentials, or the agent's
	 * {@code unix:} socket)
	 * @param destinationReason why there: an agent URL is set, the agent's default socket
	 * exists, or neither; for OTLP and Pyroscope, which setting named the endpoint
	 * @param queueDepth windows waiting or being sent
	 * @param lastOutcome the last thing that happened to a window, or {@code none}
	 * @param lastOutcomeTime when it happened, or {@code null}
	 * @param lastDetail a short reason, or {@code null}
	 * @param sent windows the intake accepted
	 * @param retried tries that failed and were scheduled again
	 * @param failed windows the intake rejected for good
	 * @param dropped windows given up without an answer, by reason
	 * @param bytesSent compressed bytes sent
	 */
	public record Upload(String destination, String destinationReason, int queueDepth, String lastOutcome,
			@Nullable String lastOutcomeTime, @Nullable String lastDetail, long sent, long retried, long failed,
			Map<String, Long> dropped, long bytesSent) {

		static @Nullable Upload of(@Nullable UploadStatus upload) {
			if (upload == null) {
				return null;
			}
			return new Upload(String.valueOf(upload.destination()), upload.destinationReason(), upload.queueDepth(),
					upload.lastOutcome(), iso(upload.lastOutcomeTime()), upload.lastDetail(), upload.sent(),
					upload.retried(), upload.failed(), upload.dropped(), upload.bytesSent());
		}

	}

	/**
	 * A finished window.
	 *
	 * @param sequence its number since start
	 * @param start when it started
	 * @param end when it ended
	 * @param samples samples by profile type
	 * @param endpoints what each endpoint cost, most CPU first
	 * @param endpointsLeftOut endpoints beyond the listed ones
	 */
	public record Window(long sequence, String start, String end, Map<String, Long> samples,
			List<EndpointDescriptor> endpoints, int endpointsLeftOut) {

		static @Nullable Window of(@Nullable WindowSummary summary) {
			if (summary == null) {
				return null;
			}
			return new Window(summary.sequence(), iso(summary.start()), iso(summary.end()), byType(summary.samples()),
					summary.endpoints().stream().map(EndpointDescriptor::of).toList(), summary.endpointsLeftOut());
		}

	}

	/**
	 * What one endpoint cost in a window.
	 *
	 * @param endpoint the endpoint, such as {@code GET /orders/{id}}
	 * @param cpuSamples CPU samples
	 * @param cpuMs the CPU time they stand for, in milliseconds
	 * @param samples samples by profile type
	 */
	public record EndpointDescriptor(String endpoint, long cpuSamples, double cpuMs, Map<String, Long> samples) {

		static EndpointDescriptor of(EndpointTotals totals) {
			return new EndpointDescriptor(totals.endpoint(), totals.cpuSamples(), totals.cpuNanos() / 1_000_000.0,
					byType(totals.samples()));
		}

	}

	/**
	 * A recent problem.
	 *
	 * @param time when it was reported
	 * @param kind its class, such as {@code upload.refused}
	 * @param message what happened and what to do
	 */
	public record ProblemDescriptor(String time, String kind, String message) {

		static ProblemDescriptor of(Problem problem) {
			return new ProblemDescriptor(problem.time().toString(), problem.kind(), problem.message());
		}

	}

}
