package io.ddprof.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ddprof.profile.EventType;

/**
 * What one endpoint cost in the windows read: its CPU samples and CPU time, and its
 * samples of every profile type. Samples taken outside a span, or in a trace whose
 * endpoint was not recorded, belong to no endpoint.
 *
 * @param endpoint the endpoint, such as {@code GET /orders/{id}}
 * @param cpuSamples the number of CPU samples
 * @param cpuNanos the CPU time those samples stand for
 * @param samples the number of samples by profile type (types without samples are absent)
 */
public record EndpointTotals(String endpoint, long cpuSamples, long cpuNanos, Map<EventType, Long> samples) {

	/** Keeps the map unmodifiable. */
	public EndpointTotals {
		Map<EventType, Long> copy = new EnumMap<>(EventType.class);
		copy.putAll(samples);
		samples = Collections.unmodifiableMap(copy);
	}

	/** The totals of every endpoint, the most CPU time first. */
	public static List<EndpointTotals> of(Samples samples) {
		Map<String, long[]> byEndpoint = new HashMap<>();
		int types = EventType.values().length;
		for (int i = 0; i < samples.size(); i++) {
			SpanLabels span = samples.span(i);
			if (span == null || span.endpoint() == null) {
				continue;
			}
			// Per endpoint: CPU nanoseconds, then the sample count of each type by
			// ordinal.
			long[] totals = byEndpoint.computeIfAbsent(span.endpoint(), (endpoint) -> new long[1 + types]);
			EventType type = samples.type(i);
			if (type == EventType.CPU) {
				totals[0] += samples.value(i);
			}
			totals[1 + type.ordinal()] += samples.count(i);
		}
		List<EndpointTotals> result = new ArrayList<>(byEndpoint.size());
		byEndpoint.forEach((endpoint, totals) -> {
			Map<EventType, Long> counts = new EnumMap<>(EventType.class);
			for (EventType type : EventType.values()) {
				if (totals[1 + type.ordinal()] > 0) {
					counts.put(type, totals[1 + type.ordinal()]);
				}
			}
			result.add(new EndpointTotals(endpoint, totals[1 + EventType.CPU.ordinal()], totals[0], counts));
		});
		result.sort(
				Comparator.comparingLong(EndpointTotals::cpuNanos).reversed().thenComparing(EndpointTotals::endpoint));
		return result;
	}

}
