package io.ddprof;

import java.util.function.BiConsumer;

import io.ddprof.engine.SamplingPlan;
import io.ddprof.export.WindowSummarizer;
import io.ddprof.export.WindowSummary;
import io.ddprof.profile.EventType;
import io.ddprof.window.RecordedWindow;

/**
 * The allocation feedback from the export thread back to the recording: tells the
 * {@link SamplingPlan} how many allocation samples each finished window took at the
 * interval it was recorded with ({@link SamplingPlan#observe}), so that the plan chooses
 * the next windows' allocation intervals from what async-profiler really samples rather
 * than from one sample per interval of bytes (the two differ, see {@link SamplingPlan}).
 * Installed as the {@link WindowSummarizer}'s listener, so it runs on the export thread
 * once the summarizer has counted the window's samples, and only for async-profiler: the
 * JDK Flight Recorder throttles to the rate aimed at by itself. Windows whose recording
 * options are not known, or that recorded no allocations, tell the plan nothing.
 */
final class AllocationFeedback implements BiConsumer<RecordedWindow, WindowSummary> {

	private final SamplingPlan plan;

	/** Feedback to {@code plan}. */
	AllocationFeedback(SamplingPlan plan) {
		this.plan = plan;
	}

	/** Tells the plan the window's allocation interval and allocation samples. */
	@Override
	public void accept(RecordedWindow window, WindowSummary summary) {
		Long interval = (window.options() != null) ? window.options().allocInterval() : null;
		if (interval != null) {
			this.plan.observe(window.sequence(), interval, summary.samples().getOrDefault(EventType.ALLOC, 0L));
		}
	}

}
