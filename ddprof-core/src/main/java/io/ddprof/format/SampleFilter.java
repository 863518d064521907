package io.ddprof.format;

import java.util.Objects;

import io.ddprof.profile.EventType;
import org.jspecify.annotations.Nullable;

/**
 * Selects the samples of one profile type, optionally only those taken in a given
 * endpoint, trace or span. A {@code null} criterion matches everything; a sample outside
 * any span matches only a filter without span criteria.
 *
 * @param type the profile type (required)
 * @param endpoint the endpoint of the sample's local root span, or {@code null}
 * @param traceId the trace id (hex, compared ignoring case), or {@code null}
 * @param spanId the id of the innermost span in scope, or {@code null}
 */
public record SampleFilter(EventType type, @Nullable String endpoint, @Nullable String traceId, @Nullable Long spanId) {

	/** Checks that the type is given. */
	public SampleFilter {
		Objects.requireNonNull(type, "type is required");
	}

	/** A filter selecting every sample of the given type. */
	public static SampleFilter of(EventType type) {
		return new SampleFilter(type, null, null, null);
	}

	/** This filter, further limited to an endpoint. */
	public SampleFilter withEndpoint(String endpoint) {
		return new SampleFilter(this.type, endpoint, this.traceId, this.spanId);
	}

	/** This filter, further limited to a trace. */
	public SampleFilter withTraceId(String traceId) {
		return new SampleFilter(this.type, this.endpoint, traceId, this.spanId);
	}

	/** Whether sample {@code index} of {@code samples} is selected. */
	public boolean matches(Samples samples, int index) {
		return samples.type(index) == this.type && matches(samples.span(index));
	}

	/** Whether the sample is selected. */
	public boolean matches(Sample sample) {
		return sample.type() == this.type && matches(sample.span());
	}

	private boolean matches(@Nullable SpanLabels span) {
		if (this.endpoint == null && this.traceId == null && this.spanId == null) {
			return true;
		}
		if (span == null) {
			return false;
		}
		return (this.endpoint == null || this.endpoint.equals(span.endpoint()))
				&& (this.traceId == null || this.traceId.equalsIgnoreCase(span.traceId()))
				&& (this.spanId == null || this.spanId == span.spanId());
	}

}
