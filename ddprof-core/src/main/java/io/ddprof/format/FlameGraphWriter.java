package io.ddprof.format;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import one.convert.Arguments;
import one.convert.CallStack;
import one.convert.FlameGraph;

/**
 * Writes selected samples as async-profiler's interactive HTML flame graph: one
 * self-contained page (no network access), click to zoom, Ctrl+F or the search button to
 * highlight frames matching a regular expression, and the share of the matches shown.
 * Widths are {@link Samples#weight(int)}; the page calls every unit a sample, as
 * async-profiler's own allocation and lock graphs do.
 */
public final class FlameGraphWriter {

	/**
	 * async-profiler's frame type for a class at the leaf (its "allocated class" colour).
	 */
	private static final byte CLASS_TYPE = (byte) StackFrame.Kind.INLINED.ordinal();

	private FlameGraphWriter() {
	}

	/**
	 * Writes the samples selected by {@code filter} under {@code title}; {@code out} is
	 * flushed and left open.
	 */
	public static void write(Samples samples, SampleFilter filter, String title, OutputStream out) throws IOException {
		Arguments arguments = new Arguments();
		// The template puts the title into the page as it is.
		arguments.title = escapeHtml(title);
		FlameGraph graph = new FlameGraph(arguments);
		long[] weights = samples.weightByStack(filter);
		CallStack stack = new CallStack();
		for (int stackId = 0; stackId < weights.length; stackId++) {
			if (weights[stackId] == 0) {
				continue;
			}
			stack.clear();
			int[] frames = samples.frameIds(stackId);
			for (int i = frames.length - 1; i >= 0; i--) {
				StackFrame frame = samples.frame(frames[i]);
				byte type = (frame.kind() == StackFrame.Kind.CLASS) ? CLASS_TYPE : (byte) frame.kind().ordinal();
				stack.push(frame.name(), type);
			}
			graph.addSample(stack, weights[stackId]);
		}
		PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
		graph.dump(print);
		print.flush();
		if (print.checkError()) {
			throw new IOException("Cannot write the flame graph");
		}
	}

	static String escapeHtml(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 16);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '&' -> escaped.append("&amp;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
