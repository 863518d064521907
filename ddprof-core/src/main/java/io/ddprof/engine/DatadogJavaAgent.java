package io.ddprof.engine;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Tells whether dd-java-agent's own profiler runs in this JVM. Two sampling engines in
 * one JVM cost several times either one (each takes its own signals, walks its own stacks
 * and writes its own recording), so ddprof starts none when dd-java-agent profiles.
 * <p>
 * dd-java-agent is attached when its bootstrap class is on the system class path (where
 * {@code -javaagent} puts it) or a {@code -javaagent} argument names it; its profiler is
 * on when {@code dd.profiling.enabled} (system property, as dd-java-agent reads it first)
 * or {@code DD_PROFILING_ENABLED} says {@code true}, {@code 1} or {@code auto}.
 */
public final class DatadogJavaAgent {

	/** The class dd-java-agent's {@code Premain-Class} names. */
	static final String BOOTSTRAP_CLASS = "datadog.trace.bootstrap.AgentBootstrap";

	private DatadogJavaAgent() {
	}

	/**
	 * Why ddprof must not sample this JVM, or {@code null} when dd-java-agent's profiler
	 * is not on.
	 */
	public static @Nullable String profilerRunning() {
		List<String> arguments;
		try {
			arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
		}
		catch (RuntimeException | LinkageError ex) {
			arguments = List.of();
		}
		return profilerRunning(isPresent(BOOTSTRAP_CLASS), arguments, System::getProperty, System.getenv());
	}

	/** The decision, from what the JVM says about itself; visible for tests. */
	static @Nullable String profilerRunning(boolean bootstrapPresent, List<String> jvmArguments,
			Function<String, String> systemProperties, Map<String, String> environment) {
		boolean attached = bootstrapPresent || jvmArguments.stream()
			.anyMatch((argument) -> argument.startsWith("-javaagent:") && argument.contains("dd-java-agent"));
		if (!attached) {
			return null;
		}
		String property = systemProperties.apply("dd.profiling.enabled");
		String source = (property != null) ? "-Ddd.profiling.enabled=" + property
				: "DD_PROFILING_ENABLED=" + environment.get("DD_PROFILING_ENABLED");
		String value = (property != null) ? property : environment.get("DD_PROFILING_ENABLED");
		if (value == null || !List.of("true", "1", "auto").contains(value.trim().toLowerCase(Locale.ROOT))) {
			return null;
		}
		return "dd-java-agent's profiler runs in this JVM (" + source + "), and two sampling profilers in one JVM "
				+ "cost several times either one: ddprof records nothing; to profile with ddprof, turn dd-java-agent's "
				+ "profiler off with -Ddd.profiling.enabled=false (its tracing keeps working)";
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, ClassLoader.getSystemClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}
