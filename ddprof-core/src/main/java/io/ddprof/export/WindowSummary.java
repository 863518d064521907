package io.ddprof.export;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.ddprof.format.EndpointTotals;
import io.ddprof.profile.EventType;

/**
 * What one window held: its samples by profile type and what each endpoint cost.
 *
 * @param sequence the window's number
 * @param start when it started
 * @param end when it ended
 * @param samples samples by profile type
 * @param endpoints per-endpoint totals, most CPU first, at most
 * {@link WindowSummarizer#MAX_ENDPOINTS}
 * @param endpointsLeftOut endpoints beyond that bound, whose totals are not listed
 */
public record WindowSummary(long sequence, Instant start, Instant end, Map<EventType, Long> samples,
		List<EndpointTotals> endpoints, int endpointsLeftOut) {

	/** Keeps the collections unmodifiable. */
	public WindowSummary {
		Map<EventType, Long> copy = new EnumMap<>(EventType.class);
		copy.putAll(samples);
		samples = Collections.unmodifiableMap(copy);
		endpoints = List.copyOf(endpoints);
	}

}
