package io.ddprof;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.config.SettingsResolver;

/**
 * A child JVM's main for {@link ChildProcessProfilingIT}: burns CPU in a known method,
 * then exits.
 */
public final class ChildMain {

	static volatile long sink;

	private ChildMain() {
	}

	public static void main(String[] args) {
		ProfilerSettings inherited = SettingsResolver.fromSystem().resolve().build();
		System.out.println("service=" + inherited.service() + " env=" + inherited.env() + " version="
				+ inherited.version() + " tags=" + inherited.tags() + " pid=" + ProcessHandle.current().pid());
		burnInChild(Long.parseLong(args[0]));
	}

	static void burnInChild(long millis) {
		long until = System.nanoTime() + millis * 1_000_000L;
		long x = 7;
		while (System.nanoTime() < until) {
			for (int i = 0; i < 10_000; i++) {
				x = x * 31 + i;
			}
			sink = x;
		}
	}

}
