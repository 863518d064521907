package io.ddprof.format;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes selected samples as collapsed stacks, the text format of FlameGraph and
 * speedscope: one line per distinct stack, frames from the root to the leaf separated by
 * {@code ;}, then a space and the weight ({@link Samples#weight(int)}: samples for CPU
 * and wall, bytes for allocation and live heap, nanoseconds for lock).
 */
public final class CollapsedWriter {

	private CollapsedWriter() {
	}

	/**
	 * Writes the samples selected by {@code filter} as UTF-8; {@code out} is flushed and
	 * left open.
	 */
	public static void write(Samples samples, SampleFilter filter, OutputStream out) throws IOException {
		long[] weights = samples.weightByStack(filter);
		// Stacks that differ only in line numbers or frame kinds read the same here:
		// merge them.
		Map<String, Long> lines = new LinkedHashMap<>();
		StringBuilder line = new StringBuilder(256);
		for (int stack = 0; stack < weights.length; stack++) {
			if (weights[stack] != 0) {
				line.setLength(0);
				int[] frames = samples.frameIds(stack);
				for (int i = frames.length - 1; i >= 0; i--) {
					line.append(samples.frame(frames[i]).name());
					if (i > 0) {
						line.append(';');
					}
				}
				lines.merge(line.toString(), weights[stack], Long::sum);
			}
		}
		Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
		for (Map.Entry<String, Long> entry : lines.entrySet()) {
			writer.write(entry.getKey());
			writer.write(' ');
			writer.write(Long.toString(entry.getValue()));
			writer.write('\n');
		}
		writer.flush();
	}

}
