package io.ddprof.export;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;

import io.ddprof.format.EndpointTotals;
import io.ddprof.format.ProfileReader;
import io.ddprof.format.Samples;
import io.ddprof.profile.EventType;
import io.ddprof.window.RecordedWindow;
import org.jspecify.annotations.Nullable;

/**
 * Reads each finished window once, on the export thread, to keep its
 * {@link WindowSummary}: the per-endpoint totals that status shows and the sample counts
 * that metrics report. Holds only the last summary and running totals, so its memory does
 * not grow with the number of windows or of endpoints.
 */
public final class WindowSummarizer implements WindowConsumer {

	/** Most endpoints listed in a summary; the rest are counted as left out. */
	public static final int MAX_ENDPOINTS = 100;

	private final AtomicLongArray totals = new AtomicLongArray(EventType.values().length);

	private final BiConsumer<RecordedWindow, WindowSummary> listener;

	private volatile @Nullable WindowSummary last;

	/** A summarizer that only keeps what it read. */
	public WindowSummarizer() {
		this((profile, summary) -> {
		});
	}

	/**
	 * A summarizer that also hands each window's summary to {@code listener}, on the
	 * export thread.
	 */
	public WindowSummarizer(BiConsumer<RecordedWindow, WindowSummary> listener) {
		this.listener = listener;
	}

	@Override
	public String name() {
		return "summary";
	}

	/** Reads the window and keeps its summary. */
	@Override
	public void accept(RecordedWindow profile) throws IOException {
		Samples samples = ProfileReader.readWindows(List.of(profile));
		Map<EventType, Long> counts = new EnumMap<>(EventType.class);
		for (int i = 0; i < samples.size(); i++) {
			counts.merge(samples.type(i), samples.count(i), Long::sum);
		}
		counts.forEach((type, count) -> this.totals.addAndGet(type.ordinal(), count));
		List<EndpointTotals> endpoints = EndpointTotals.of(samples);
		int leftOut = Math.max(0, endpoints.size() - MAX_ENDPOINTS);
		WindowSummary summary = new WindowSummary(profile.sequence(), profile.start(), profile.end(), counts,
				endpoints.subList(0, Math.min(MAX_ENDPOINTS, endpoints.size())), leftOut);
		this.last = summary;
		this.listener.accept(profile, summary);
	}

	/** The summary of the last window read, or {@code null} before the first. */
	public @Nullable WindowSummary last() {
		return this.last;
	}

	/** Samples of each type in every window read so far. */
	public Map<EventType, Long> totalSamples() {
		Map<EventType, Long> result = new EnumMap<>(EventType.class);
		for (EventType type : EventType.values()) {
			result.put(type, this.totals.get(type.ordinal()));
		}
		return result;
	}

}
