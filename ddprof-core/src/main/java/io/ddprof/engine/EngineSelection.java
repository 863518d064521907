package io.ddprof.engine;

import io.ddprof.config.EngineChoice;
import org.jspecify.annotations.Nullable;

/**
 * The engine chosen for a run and why, as status reports it.
 *
 * @param engine the engine, or {@code null} when none can run
 * @param reason one sentence saying why this engine (or none) runs
 */
public record EngineSelection(@Nullable Engine engine, String reason) {

	/**
	 * Chooses the engine for {@code choice}: async-profiler when asked for or when
	 * {@code auto} and its classes are visible from {@code classLoader} and its native
	 * library loads; the JDK Flight Recorder otherwise (never for an explicit
	 * {@code async-profiler}).
	 */
	public static EngineSelection choose(EngineChoice choice, ClassLoader classLoader) {
		return choose(choice, classLoader, false);
	}

	/**
	 * Chooses the engine as {@link #choose(EngineChoice, ClassLoader)} does, except that
	 * for {@code auto} in an application serving on virtual threads the JDK Flight
	 * Recorder records: it samples a mounted virtual thread as itself, where
	 * async-profiler 4.6 samples its carrier thread and so cannot tie the sample to the
	 * request's span.
	 */
	public static EngineSelection choose(EngineChoice choice, ClassLoader classLoader, boolean virtualThreads) {
		if (choice == EngineChoice.JFR) {
			return new EngineSelection(new JfrEngine(), "ddprof.engine=jfr");
		}
		if (choice == EngineChoice.AUTO && virtualThreads) {
			return new EngineSelection(new JfrEngine(),
					"the application serves on virtual threads, which async-profiler "
							+ "samples as their carrier threads so that samples could not be tied to spans; set "
							+ "ddprof.engine=async-profiler to use it anyway (samples of virtual threads then carry no span)");
		}
		String problem;
		if (!isPresent(AsyncProfilerEngine.API_CLASS, classLoader)) {
			problem = "async-profiler's classes (tools.profiler:async-profiler) are not on the class path";
		}
		else {
			try {
				AsyncProfilerEngine engine = AsyncProfilerEngine.load();
				return new EngineSelection(engine, "async-profiler " + engine.version() + " loaded");
			}
			catch (EngineException | LinkageError ex) {
				problem = ex.getMessage();
			}
		}
		return fallback(choice, problem);
	}

	/**
	 * The selection after async-profiler failed with {@code problem}: JFR for
	 * {@code auto}, none otherwise.
	 */
	public static EngineSelection fallback(EngineChoice choice, @Nullable String problem) {
		if (choice == EngineChoice.AUTO) {
			return new EngineSelection(new JfrEngine(), problem + "; using the JDK Flight Recorder instead");
		}
		return new EngineSelection(null,
				problem + "; ddprof.engine=async-profiler allows no fallback (set auto or jfr)");
	}

	private static boolean isPresent(String className, ClassLoader classLoader) {
		try {
			Class.forName(className, false, classLoader);
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}
