package io.ddprof.context;

import java.util.HexFormat;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.consumer.RecordedEvent;
import org.jspecify.annotations.Nullable;

/**
 * A span interval recorded by the JDK Flight Recorder engine: the counterpart of
 * async-profiler's {@code profiler.Span}, carrying the same {@link SpanTag}. The ids are
 * written as numbers and only the endpoint and operation as text: JFR keeps a string an
 * event writes again soon after in a heap cache of up to 32,768 entries
 * ({@code jdk.jfr.internal.StringPool} as of JDK 25), and a text holding the ids, new for
 * every request, filled it with one entry per request (measured on virtual threads with
 * class histograms: about 180 bytes an entry, held until the cache clears itself).
 */
@Name(JfrSpanEvent.NAME)
@Label("Span")
@Category("ddprof")
@Description("A tracing span's scope on a thread, or the endpoint of a local root span")
@StackTrace(false)
@Enabled(false)
@Threshold("0 ns")
public class JfrSpanEvent extends Event {

	/** The event type name, read by the exporters next to {@code profiler.Span}. */
	public static final String NAME = "ddprof.Span";

	private static final HexFormat HEX = HexFormat.of();

	@Label("Tag")
	@Description("The tag text, when it is neither a span scope's nor an endpoint's")
	@Nullable String tag;

	@Label("Trace Id High")
	@Description("The upper 64 bits of a 128-bit trace id")
	long traceIdHigh;

	@Label("Trace Id Low")
	@Description("The lower 64 bits of the trace id")
	long traceIdLow;

	@Label("Trace Id Digits")
	@Description("Hex digits of the trace id: 16 or 32 for a span scope, 0 otherwise")
	byte traceIdDigits;

	@Label("Span Id")
	long spanId;

	@Label("Local Root Span Id")
	long localRootSpanId;

	@Label("Operation")
	@Description("The server operation of an endpoint record")
	@Nullable String operation;

	@Label("Endpoint")
	@Description("The endpoint of an endpoint record")
	@Nullable String endpoint;

	/** Sets the {@link SpanTag} text, split into its ids and its text parts. */
	public void tag(String tag) {
		if (!scope(tag) && !endpoint(tag)) {
			this.tag = tag;
		}
	}

	/**
	 * The {@link SpanTag} text of a recorded span event, as {@link #tag(String)} was
	 * given it.
	 */
	public static @Nullable String tagOf(RecordedEvent event) {
		String text = event.hasField("tag") ? event.getString("tag") : null;
		if (text != null || !event.hasField("traceIdDigits")) {
			return text;
		}
		String endpoint = event.getString("endpoint");
		if (endpoint != null) {
			return SpanTag.endpoint(event.getLong("localRootSpanId"), event.getString("operation"), endpoint);
		}
		byte digits = event.getByte("traceIdDigits");
		if (digits != 16 && digits != 32) {
			return null;
		}
		String low = HEX.toHexDigits(event.getLong("traceIdLow"));
		String traceId = (digits == 32) ? HEX.toHexDigits(event.getLong("traceIdHigh")) + low : low;
		return SpanTag.scope(traceId, event.getLong("spanId"), event.getLong("localRootSpanId"));
	}

	// "s <trace id hex, 16 or 32 digits> <span id> <local root span id>", without
	// allocating.
	private boolean scope(String text) {
		if (text == null || !text.startsWith("s ")) {
			return false;
		}
		int traceEnd = text.indexOf(' ', 2);
		int spanEnd = (traceEnd < 0) ? -1 : text.indexOf(' ', traceEnd + 1);
		int digits = traceEnd - 2;
		if (spanEnd < 0 || (digits != 16 && digits != 32) || spanEnd + 1 >= text.length()) {
			return false;
		}
		try {
			long high = (digits == 32) ? Long.parseUnsignedLong(text, 2, 18, 16) : 0;
			long low = Long.parseUnsignedLong(text, traceEnd - 16, traceEnd, 16);
			long span = Long.parseUnsignedLong(text, traceEnd + 1, spanEnd, 10);
			long root = Long.parseUnsignedLong(text, spanEnd + 1, text.length(), 10);
			// Digits only: a sign the parser would accept is not in what SpanTag writes.
			if (!HEX.isHexDigit(text.charAt(2)) || !Character.isDigit(text.charAt(traceEnd + 1))
					|| !Character.isDigit(text.charAt(spanEnd + 1))) {
				return false;
			}
			this.traceIdHigh = high;
			this.traceIdLow = low;
			this.traceIdDigits = (byte) digits;
			this.spanId = span;
			this.localRootSpanId = root;
			return true;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	// "e <local root span id> <operation> <endpoint>".
	private boolean endpoint(String text) {
		if (text == null || !text.startsWith("e ")) {
			return false;
		}
		int rootEnd = text.indexOf(' ', 2);
		int operationEnd = (rootEnd < 0) ? -1 : text.indexOf(' ', rootEnd + 1);
		if (operationEnd < 0 || rootEnd == 2 || !Character.isDigit(text.charAt(2))) {
			return false;
		}
		try {
			this.localRootSpanId = Long.parseUnsignedLong(text, 2, rootEnd, 10);
		}
		catch (NumberFormatException ex) {
			return false;
		}
		this.operation = text.substring(rootEnd + 1, operationEnd);
		this.endpoint = text.substring(operationEnd + 1);
		return true;
	}

}
