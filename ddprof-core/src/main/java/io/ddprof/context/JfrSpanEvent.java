package io.ddprof.context;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A span interval recorded by the JDK Flight Recorder engine: the counterpart of
 * async-profiler's {@code profiler.Span}, with the same {@link SpanTag} text.
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

	@Label("Tag")
	String tag;

	/** Sets the {@link SpanTag} text. */
	public void tag(String tag) {
		this.tag = tag;
	}

}
