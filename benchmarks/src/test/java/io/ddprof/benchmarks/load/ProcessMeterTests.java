package io.ddprof.benchmarks.load;

import java.io.IOException;
import java.util.Map;

import io.ddprof.benchmarks.load.ProcessMeter.ThreadGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the process meter reads from {@code /proc}, and how it groups threads. */
class ProcessMeterTests {

	@ParameterizedTest
	@CsvSource({ "http-nio-34567-, REQUESTS", "ForkJoinPool-1-, REQUESTS", "ddprof-recorder, DDPROF",
			"ddprof-upload, DDPROF", "GC Thread#0, GC", "G1 Conc#0, GC", "G1 Refine#0, GC", "C2 CompilerThre, JIT",
			"C1 CompilerThre, JIT", "ForkJoinPool.co, OTHER", "VM Thread, OTHER", "Async-profiler, OTHER" })
	void groupsThreadsByTheNamesTheKernelKeeps(String comm, ThreadGroup group) {
		assertThat(ThreadGroup.of(comm)).isEqualTo(group);
	}

	@Test
	void readsThisProcesssCpuByThreadGroup() throws IOException {
		String name = Thread.currentThread().getName();
		Thread.currentThread().setName("ddprof-test");
		double sink = 0;
		Map<ThreadGroup, Double> seconds;
		try {
			// 200 ms of this thread's CPU time (20 of the kernel's ticks), however loaded
			// the machine.
			java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
			long end = threads.getCurrentThreadCpuTime() + 200_000_000L;
			while (threads.getCurrentThreadCpuTime() < end) {
				for (int i = 0; i < 10_000; i++) {
					sink += Math.sqrt(sink + i);
				}
			}
			seconds = new ProcessMeter(ProcessHandle.current().pid()).cpuSecondsByThreadGroup();
		}
		finally {
			Thread.currentThread().setName(name);
		}
		assertThat(seconds).containsOnlyKeys(ThreadGroup.values());
		assertThat(seconds.get(ThreadGroup.DDPROF)).as("this thread, renamed, spun for 200 ms of CPU").isPositive();
		assertThat(sink).isPositive();
	}

}
