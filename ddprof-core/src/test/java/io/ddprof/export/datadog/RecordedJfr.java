package io.ddprof.export.datadog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.ddprof.format.DatadogJfrWriter;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import one.profiler.AsyncProfiler;

/**
 * A real JFR recorded by async-profiler while {@link #burnCpu} spins, made once per test run, and
 * the reading side used to check what an upload carried.
 */
final class RecordedJfr {

	private static Path recorded;

	private static volatile long sink;

	private RecordedJfr() {
	}

	/** A copy of the recording at {@code target}, as the window rotation would hand it over. */
	static synchronized Path copyTo(Path target) throws IOException {
		if (recorded == null) {
			recorded = record();
		}
		Files.copy(recorded, target);
		return target;
	}

	/** The method names of the top frames of every {@code jdk.ExecutionSample} in {@code jfr}. */
	static List<List<String>> executionSampleStacks(Path jfr) throws IOException {
		List<List<String>> stacks = new ArrayList<>();
		for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
			if (event.getEventType().getName().equals(DatadogJfrWriter.EXECUTION_SAMPLE) && event.getStackTrace() != null) {
				List<String> methods = new ArrayList<>();
				for (RecordedFrame frame : event.getStackTrace().getFrames()) {
					methods.add(frame.getMethod().getName());
				}
				stacks.add(methods);
			}
		}
		return stacks;
	}

	private static Path record() throws IOException {
		Path file = Files.createTempFile("ddprof-upload-tests-", ".jfr");
		file.toFile().deleteOnExit();
		AsyncProfiler profiler = AsyncProfiler.getInstance();
		profiler.execute("start,event=cpu,interval=1ms,jfr,file=" + file);
		try {
			burnCpu(400);
		}
		finally {
			profiler.execute("stop");
		}
		return file;
	}

	private static void burnCpu(long millis) {
		long end = System.nanoTime() + millis * 1_000_000L;
		long value = 17;
		while (System.nanoTime() < end) {
			for (int i = 0; i < 10_000; i++) {
				value = value * 31 + i ^ (value >>> 7);
			}
		}
		sink = value;
	}

}
