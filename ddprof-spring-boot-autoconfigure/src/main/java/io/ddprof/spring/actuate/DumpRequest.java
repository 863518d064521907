package io.ddprof.spring.actuate;

import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.ddprof.format.SampleFilter;
import io.ddprof.profile.EventType;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of a download, checked: every value is reduced to an enum, a number or a
 * string that is only ever compared, so that nothing a caller sends reaches a file path
 * or an async-profiler command.
 *
 * @param format the format
 * @param event the profile type (ignored for JFR, which holds them all)
 * @param lookBack how far back the windows go
 * @param endpoint only samples of this endpoint, or {@code null}
 * @param traceId only samples of this trace, or {@code null}
 */
record DumpRequest(DumpFormat format, EventType event, Duration lookBack, @Nullable String endpoint,
		@Nullable String traceId) {

	static final int DEFAULT_SECONDS = 60;

	static final int MAX_SECONDS = 86_400;

	static final int MAX_ENDPOINT_LENGTH = 256;

	private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

	private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{1,32}");

	/** The filter selecting the requested samples. */
	SampleFilter filter() {
		return SampleFilter.of(this.event).withEndpoint(this.endpoint).withTraceId(this.traceId);
	}

	/**
	 * Checks the parameters as they came in the request.
	 * @throws IllegalArgumentException naming the parameter and what is allowed
	 */
	static DumpRequest of(@Nullable String format, @Nullable String event, @Nullable String seconds,
			@Nullable String endpoint, @Nullable String traceId) {
		DumpFormat dumpFormat = DumpFormat.fromId(format);
		if (dumpFormat == null) {
			throw new IllegalArgumentException(
					"Unknown format '" + quote(format) + "'; allowed: " + DumpFormat.allowed() + ".");
		}
		EventType type = (event != null) ? EventType.fromId(event) : EventType.CPU;
		if (type == null) {
			throw new IllegalArgumentException("Unknown event '" + quote(event) + "'; allowed: "
					+ Arrays.stream(EventType.values()).map(EventType::id).collect(Collectors.joining(", "))
					+ " (default cpu).");
		}
		int lookBack = DEFAULT_SECONDS;
		if (seconds != null) {
			lookBack = WHOLE_NUMBER.matcher(seconds).matches() ? Integer.parseInt(seconds) : -1;
			if (lookBack < 1 || lookBack > MAX_SECONDS) {
				throw new IllegalArgumentException(
						"Invalid seconds '" + quote(seconds) + "'; allowed: a whole number from 1 to " + MAX_SECONDS
								+ " (default " + DEFAULT_SECONDS + ").");
			}
		}
		if (endpoint != null && (endpoint.isEmpty() || endpoint.length() > MAX_ENDPOINT_LENGTH)) {
			throw new IllegalArgumentException("Invalid endpoint '" + quote(endpoint) + "'; allowed: 1 to "
					+ MAX_ENDPOINT_LENGTH + " characters, such as GET /orders/{id}.");
		}
		if (traceId != null && !TRACE_ID.matcher(traceId).matches()) {
			throw new IllegalArgumentException(
					"Invalid traceId '" + quote(traceId) + "'; allowed: 1 to 32 hexadecimal digits.");
		}
		return new DumpRequest(dumpFormat, type, Duration.ofSeconds(lookBack), endpoint, traceId);
	}

	/**
	 * A value fit to repeat in a message: short, and nothing a browser or a terminal acts
	 * on.
	 */
	private static String quote(@Nullable String value) {
		if (value == null) {
			return "";
		}
		StringBuilder quoted = new StringBuilder();
		for (int i = 0; i < value.length() && i < 40; i++) {
			char c = value.charAt(i);
			boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| " ._-/{}:+".indexOf(c) >= 0;
			quoted.append(plain ? c : '?');
		}
		return (value.length() > 40) ? quoted + "..." : quoted.toString();
	}

}
