package io.ddprof.benchmarks.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configurations the sample application runs under: no profiler, ddprof in several
 * settings, async-profiler on its own, and the peers' agents. Each says how the process
 * is launched; everything else (the load, the measurements) is the same for all.
 */
enum Configuration {

	/** The baseline every ratio is taken against. */
	NONE("none", "no profiler"),

	/**
	 * ddprof with its defaults: every profile type but live heap, 60 s windows, upload to
	 * the agent.
	 */
	DDPROF("ddprof", "ddprof, defaults (cpu, wall, alloc, lock; upload)"),

	/**
	 * ddprof with its defaults, in another build of the sample ({@code --previous-jar}):
	 * two builds side by side in one run, such as before and after a change.
	 */
	DDPROF_PREVIOUS("ddprof-previous", "ddprof, defaults, previous build (--previous-jar)"),

	/**
	 * ddprof's defaults, each window also exported as OTLP profiles (to the local
	 * intake).
	 */
	DDPROF_OTLP("ddprof-otlp", "ddprof, defaults + OTLP profiles export"),

	/** ddprof's defaults, each window also pushed to Pyroscope (the local intake). */
	DDPROF_PYROSCOPE("ddprof-pyroscope", "ddprof, defaults + Pyroscope export"),

	/** ddprof's defaults plus live-heap profiling. */
	DDPROF_LIVE("ddprof-live", "ddprof, defaults + live heap"),

	/** ddprof recording CPU samples only. */
	DDPROF_CPU("ddprof-cpu", "ddprof, cpu only"),

	/** ddprof recording wall-clock samples only (threads holding a span). */
	DDPROF_WALL("ddprof-wall", "ddprof, wall only"),

	/** ddprof recording allocation samples only (adaptive interval). */
	DDPROF_ALLOC("ddprof-alloc", "ddprof, alloc only"),

	/** ddprof recording lock samples only. */
	DDPROF_LOCK("ddprof-lock", "ddprof, lock only"),

	/**
	 * async-profiler as a plain agent with the events of ddprof's defaults at fixed
	 * intervals.
	 */
	ASYNC_PROFILER("async-profiler", "async-profiler 4.6 agent, cpu 10ms + wall 50ms + alloc 256k + lock 10ms"),

	/** Datadog's Java agent, profiling only. */
	DD_PROFILING("dd-profiling", "dd-java-agent 1.68.1, profiling, tracing off"),

	/** Datadog's Java agent, profiling and tracing. */
	DD_PROFILING_TRACING("dd-profiling-tracing", "dd-java-agent 1.68.1, profiling + tracing"),

	/** Grafana Pyroscope's Java agent. */
	PYROSCOPE("pyroscope", "Pyroscope agent 2.1.2, cpu 10ms + alloc 256k + lock 10ms");

	private final String id;

	private final String label;

	Configuration(String id, String label) {
		this.id = id;
		this.label = label;
	}

	/** The name {@code --configs} takes. */
	String id() {
		return this.id;
	}

	/** What the report calls it. */
	String label() {
		return this.label;
	}

	/**
	 * Whether ddprof records in this configuration (so its status endpoint has samples
	 * and costs).
	 */
	boolean ddprof() {
		return name().startsWith("DDPROF");
	}

	/** The configuration named {@code id}. */
	static Configuration of(String id) {
		for (Configuration configuration : values()) {
			if (configuration.id.equals(id)) {
				return configuration;
			}
		}
		List<String> known = new ArrayList<>();
		for (Configuration configuration : values()) {
			known.add(configuration.id);
		}
		throw new IllegalArgumentException("Unknown configuration '" + id + "'; known: " + String.join(", ", known));
	}

	/**
	 * How to launch the sample in this configuration, writing any file of its own under
	 * {@code directory}.
	 */
	Launch launch(Tools tools, String intakeUrl, Path directory) {
		List<String> jvm = new ArrayList<>();
		List<String> app = new ArrayList<>();
		Map<String, String> env = Map.of();
		Path jfr = null;
		if (ddprof()) {
			// The library's defaults, spelled out: the sample's application.yml changes
			// some of them
			// (30 s windows, live heap on, a local directory) for its own demo.
			// (A key given twice on the command line binds as a list: each is given
			// once.)
			app.addAll(List.of("--ddprof.upload.period=60s", "--ddprof.live-heap.enabled=" + (this == DDPROF_LIVE),
					"--ddprof.local.directory=", "--ddprof.upload.enabled=true", "--ddprof.agent.url=" + intakeUrl));
		}
		else {
			app.add("--ddprof.enabled=false");
		}
		switch (this) {
			case DDPROF_OTLP -> app.add("--ddprof.otlp.endpoint=" + intakeUrl + "/v1development/profiles");
			case DDPROF_PYROSCOPE -> app.add("--ddprof.pyroscope.url=" + intakeUrl);
			case DDPROF_CPU -> app.addAll(only("cpu"));
			case DDPROF_WALL -> app.addAll(only("wall"));
			case DDPROF_ALLOC -> app.addAll(only("alloc"));
			case DDPROF_LOCK -> app.addAll(only("lock"));
			case ASYNC_PROFILER -> {
				jfr = directory.resolve("async-profiler.jfr");
				jvm.add("-agentpath:" + tools.asyncProfilerLibrary()
						+ "=start,event=cpu,interval=10ms,wall=50ms,alloc=256k,lock=10ms,jfr,file=" + jfr);
			}
			case DD_PROFILING, DD_PROFILING_TRACING -> {
				jvm.add("-javaagent:" + tools.require(tools.ddJavaAgent(), "dd-java-agent", this));
				jvm.addAll(List.of("-Ddd.service=ddprof-sample", "-Ddd.profiling.enabled=true",
						// Profiling from the start, as the other configurations do (the
						// default waits 10 s).
						"-Ddd.profiling.start-delay=0", "-Ddd.trace.agent.url=" + intakeUrl,
						"-Ddd.trace.enabled=" + (this == DD_PROFILING_TRACING)));
			}
			case PYROSCOPE -> {
				jvm.add("-javaagent:" + tools.require(tools.pyroscopeAgent(), "Pyroscope agent", this));
				env = Map.of("PYROSCOPE_APPLICATION_NAME", "ddprof-sample", "PYROSCOPE_SERVER_ADDRESS", intakeUrl,
						"PYROSCOPE_FORMAT", "jfr", "PYROSCOPE_PROFILER_EVENT", "cpu", "PYROSCOPE_PROFILING_INTERVAL",
						"10ms", "PYROSCOPE_PROFILER_ALLOC", "256k", "PYROSCOPE_PROFILER_LOCK", "10ms");
			}
			default -> {
			}
		}
		return new Launch(List.copyOf(jvm), List.copyOf(app), env, jfr);
	}

	private static List<String> only(String kept) {
		List<String> args = new ArrayList<>();
		for (String event : List.of("cpu", "wall", "alloc", "lock")) {
			args.add("--ddprof." + event + ".enabled=" + event.equals(kept));
		}
		return args;
	}

	/**
	 * How one process is launched.
	 *
	 * @param jvmArgs options before {@code -jar}
	 * @param appArgs the application's arguments
	 * @param environment variables added to the environment
	 * @param jfr the recording async-profiler writes at exit, or {@code null}
	 */
	record Launch(List<String> jvmArgs, List<String> appArgs, Map<String, String> environment, Path jfr) {

		/**
		 * This launch with {@code moreJvm} options before its own (so that an agent's
		 * options come last) and {@code moreApp} application arguments after its own.
		 */
		Launch with(List<String> moreJvm, List<String> moreApp) {
			List<String> jvm = new ArrayList<>(moreJvm);
			jvm.addAll(this.jvmArgs);
			List<String> args = new ArrayList<>(this.appArgs);
			args.addAll(moreApp);
			return new Launch(List.copyOf(jvm), List.copyOf(args), this.environment, this.jfr);
		}

	}

	/**
	 * The files the configurations need.
	 *
	 * @param asyncProfilerLibrary async-profiler's native library
	 * @param ddJavaAgent the dd-java-agent jar, or {@code null} when not given
	 * @param pyroscopeAgent the Pyroscope agent jar, or {@code null} when not given
	 */
	record Tools(Path asyncProfilerLibrary, Path ddJavaAgent, Path pyroscopeAgent) {

		Path require(Path tool, String name, Configuration configuration) {
			if (tool == null) {
				throw new IllegalArgumentException("Configuration '" + configuration.id + "' needs the " + name
						+ " jar: pass it with --" + (name.startsWith("dd") ? "dd-java-agent" : "pyroscope-agent")
						+ "=<jar> (benchmarks/run.sh fetches it through Maven)");
			}
			return tool;
		}

	}

}
