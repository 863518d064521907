package io.ddprof.spring.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.ddprof.Profiler;
import io.ddprof.ProfilerStatus;
import io.ddprof.export.upload.DropReason;
import io.ddprof.export.upload.UploadOutcome;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.profile.EventType;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The profiler's own meters. Each reads {@link Profiler#status()} when the registry asks
 * for its value: no thread polls. Counters count from the profiler's start, as its status
 * does.
 * <ul>
 * <li>{@code ddprof.samples} (tag {@code event}: cpu, wall, alloc, live, lock): samples
 * recorded</li>
 * <li>{@code ddprof.windows}: windows recorded; {@code ddprof.windows.dropped}: windows
 * lost before reaching the exporters</li>
 * <li>{@code ddprof.uploads} (tag {@code outcome}, an {@link UploadOutcome}: sent,
 * retried, failed): upload tries by outcome</li>
 * <li>{@code ddprof.uploads.dropped} (tag {@code reason}, a {@link DropReason}): windows
 * given up without an answer, or refused in a successful answer ({@code rejected}, OTLP's
 * partial success)</li>
 * <li>{@code ddprof.upload.bytes}: compressed bytes sent</li>
 * <li>{@code ddprof.upload.queue.depth}: windows waiting or being sent</li>
 * </ul>
 * The four upload meters carry the tag {@code backend}: {@code datadog}, and {@code otlp}
 * and {@code pyroscope} when those exports are on, each with its own queue.
 * <ul>
 * <li>{@code ddprof.cpu.time}: CPU time of the profiler's own threads, in seconds</li>
 * </ul>
 */
public class ProfilerMetrics implements MeterBinder {

	private final Profiler profiler;

	/** The meters of the given profiler. */
	public ProfilerMetrics(Profiler profiler) {
		this.profiler = profiler;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (EventType type : EventType.values()) {
			counter("ddprof.samples", "Samples recorded by the profiler", null,
					(status) -> status.totalSamples().getOrDefault(type, 0L))
				.tag("event", type.id())
				.register(registry);
		}
		counter("ddprof.windows", "Profile windows recorded", null, ProfilerStatus::windowsRecorded).register(registry);
		counter("ddprof.windows.dropped", "Profile windows dropped before reaching the exporters", null,
				ProfilerStatus::windowsDropped)
			.register(registry);
		Map<String, Function<ProfilerStatus, @Nullable UploadStatus>> backends = new LinkedHashMap<>();
		backends.put("datadog", ProfilerStatus::upload);
		if (this.profiler.settings().otlp().enabled()) {
			backends.put("otlp", (status) -> status.pipelines().get("otlp"));
		}
		if (this.profiler.settings().pyroscope().enabled()) {
			backends.put("pyroscope", (status) -> status.pipelines().get("pyroscope"));
		}
		backends.forEach((backend, upload) -> uploadMeters(registry, backend, upload));
		counter("ddprof.cpu.time", "CPU time of the profiler's own threads", "seconds",
				(status) -> seconds(status.profilerCpuTime()))
			.register(registry);
	}

	private void uploadMeters(MeterRegistry registry, String backend,
			Function<ProfilerStatus, @Nullable UploadStatus> upload) {
		upload(registry, backend, upload, UploadOutcome.SENT, UploadStatus::sent);
		upload(registry, backend, upload, UploadOutcome.RETRIED, UploadStatus::retried);
		upload(registry, backend, upload, UploadOutcome.FAILED, UploadStatus::failed);
		for (DropReason reason : DropReason.values()) {
			counter("ddprof.uploads.dropped", "Profile windows given up before the intake answered", null,
					(status) -> value(upload.apply(status), (u) -> u.dropped().getOrDefault(reason.value(), 0L)))
				.tag("backend", backend)
				.tag("reason", reason.value())
				.register(registry);
		}
		counter("ddprof.upload.bytes", "Compressed bytes of the profiles sent", BaseUnits.BYTES,
				(status) -> value(upload.apply(status), UploadStatus::bytesSent))
			.tag("backend", backend)
			.register(registry);
		Gauge
			.builder("ddprof.upload.queue.depth", this.profiler,
					(profiler) -> value(upload.apply(profiler.status()), UploadStatus::queueDepth))
			.description("Profile windows waiting to be uploaded or being sent")
			.tag("backend", backend)
			.register(registry);
	}

	private void upload(MeterRegistry registry, String backend, Function<ProfilerStatus, @Nullable UploadStatus> upload,
			UploadOutcome outcome, ToDoubleFunction<UploadStatus> count) {
		counter("ddprof.uploads", "Profile upload tries by outcome", null,
				(status) -> value(upload.apply(status), count))
			.tag("backend", backend)
			.tag("outcome", outcome.value())
			.register(registry);
	}

	private static double value(@Nullable UploadStatus upload, ToDoubleFunction<UploadStatus> count) {
		return (upload != null) ? count.applyAsDouble(upload) : 0;
	}

	private FunctionCounter.Builder<Profiler> counter(String name, String description, @Nullable String baseUnit,
			ToDoubleFunction<ProfilerStatus> value) {
		FunctionCounter.Builder<Profiler> builder = FunctionCounter
			.builder(name, this.profiler, (profiler) -> value.applyAsDouble(profiler.status()))
			.description(description);
		return (baseUnit != null) ? builder.baseUnit(baseUnit) : builder;
	}

	private static double seconds(@Nullable Duration duration) {
		return (duration != null) ? duration.toNanos() / 1e9 : 0;
	}

}
