package io.ddprof.spring.actuate;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A web endpoint that spends CPU in a method whose name the profiles must show. */
@RestController
class BusyController {

	/** The method that burns the CPU, as profiles name it. */
	static final String HOT_METHOD = BusyController.class.getName() + ".spinOnCpuForProfilerTests";

	@GetMapping("/busy")
	String busy(@RequestParam long millis) {
		return "spent " + spinOnCpuForProfilerTests(Duration.ofMillis(millis));
	}

	/**
	 * Spends {@code cpu} of this thread's CPU time, so that CPU samples land in this
	 * method.
	 */
	static double spinOnCpuForProfilerTests(Duration cpu) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long start = threads.getCurrentThreadCpuTime();
		long hangGuard = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		double sink = 0;
		while (threads.getCurrentThreadCpuTime() - start < cpu.toNanos() && System.nanoTime() < hangGuard) {
			for (int i = 1; i < 10_000; i++) {
				sink += Math.sqrt(i);
			}
		}
		return sink;
	}

}
