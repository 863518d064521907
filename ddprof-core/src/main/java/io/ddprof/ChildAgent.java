package io.ddprof;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry of the core jar, used by child JVMs that
 * {@link Profiler#prepare} set up: appends the jars named in the agent argument to the
 * class path, then starts a {@link Profiler} configured by the inherited {@code DDPROF_*}
 * variables. Never stops the child: any failure is printed once and the child runs
 * unprofiled.
 */
public final class ChildAgent {

	private ChildAgent() {
	}

	/** Entry point before the child's {@code main}. */
	public static void premain(String arguments, Instrumentation instrumentation) {
		try {
			if (arguments != null && !arguments.isBlank()) {
				for (String jar : arguments.split(File.pathSeparator)) {
					instrumentation.appendToSystemClassLoaderSearch(new JarFile(jar));
				}
			}
			new Profiler().start(true, true);
		}
		catch (Exception | LinkageError ex) {
			System.err.println("ddprof: this JVM is not profiled: " + ex);
		}
	}

}
