package io.ddprof.sample.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.ddprof.testing.FaultyIntake;

/**
 * One row of the fault table: the fault, what the application and the profiler promise
 * under it, how to set it up and what to check beyond what every row checks.
 *
 * @param name a short name, also the name of the row's log file
 * @param fault what goes wrong
 * @param promise what must hold anyway
 * @param agent the Datadog agent the sample uploads to, or {@code null} for no upload
 * @param setup JVM options and application arguments of the row, made in the row's
 * directory
 * @param mix the load's paths, which every worker cycles through
 * @param during what happens at the start of the fault phase, beside the load, or
 * {@code null}
 * @param beforeStop what happens after the load and before SIGTERM, or {@code null}
 * @param check the row's own checks
 */
record FaultScenario(String name, String fault, String promise, Agent agent, Setup setup, List<String> mix,
		Action during, Action beforeStop, Check check) {

	/**
	 * The light mix every row drives unless it says otherwise: CPU, lock, I/O, allocation
	 * and a traced hop.
	 */
	static final List<String> LIGHT_MIX = List.of("/cpu?millis=5", "/lock", "/io", "/alloc?mb=1", "/chain");

	static FaultScenario row(String name, String fault, String promise) {
		return new FaultScenario(name, fault, promise, Agent.accepting(), (dir) -> Launch.NONE, LIGHT_MIX, null, null,
				(run) -> {
				});
	}

	FaultScenario agent(Agent agent) {
		return new FaultScenario(this.name, this.fault, this.promise, agent, this.setup, this.mix, this.during,
				this.beforeStop, this.check);
	}

	FaultScenario setup(Setup setup) {
		return new FaultScenario(this.name, this.fault, this.promise, this.agent, setup, this.mix, this.during,
				this.beforeStop, this.check);
	}

	FaultScenario mix(List<String> mix) {
		return new FaultScenario(this.name, this.fault, this.promise, this.agent, this.setup, mix, this.during,
				this.beforeStop, this.check);
	}

	FaultScenario during(Action during) {
		return new FaultScenario(this.name, this.fault, this.promise, this.agent, this.setup, this.mix, during,
				this.beforeStop, this.check);
	}

	FaultScenario beforeStop(Action beforeStop) {
		return new FaultScenario(this.name, this.fault, this.promise, this.agent, this.setup, this.mix, this.during,
				beforeStop, this.check);
	}

	FaultScenario check(Check check) {
		return new FaultScenario(this.name, this.fault, this.promise, this.agent, this.setup, this.mix, this.during,
				this.beforeStop, check);
	}

	@Override
	public String toString() {
		return this.name;
	}

	/** The Datadog agent of a row. */
	interface Agent {

		/** Opens the agent; {@code null} means none listens (connections are refused). */
		FaultyIntake open() throws IOException;

		/** An agent that takes every upload. */
		static Agent accepting() {
			return () -> FaultyIntake.answering((n) -> 200);
		}

		/** No agent listens on the port uploads go to. */
		static Agent refusing() {
			return () -> null;
		}

	}

	/**
	 * JVM options and application arguments a row adds, and what it opened for the run
	 * (closed once the run is over, whatever happened).
	 */
	record Launch(List<String> jvmOptions, List<String> arguments, List<AutoCloseable> resources) {

		static final Launch NONE = new Launch(List.of(), List.of(), List.of());

		static Launch arguments(String... arguments) {
			return new Launch(List.of(), List.of(arguments), List.of());
		}

		static Launch jvmOptions(String... options) {
			return new Launch(List.of(options), List.of(), List.of());
		}

		Launch closing(AutoCloseable... resources) {
			return new Launch(this.jvmOptions, this.arguments, List.of(resources));
		}

	}

	/** Prepares a row in its own directory. */
	@FunctionalInterface
	interface Setup {

		Launch prepare(Path directory) throws Exception;

	}

	/** Something a row does to the running application. */
	@FunctionalInterface
	interface Action {

		void run(FaultRun run) throws Exception;

	}

	/** The checks of one row. */
	@FunctionalInterface
	interface Check {

		void verify(FaultRun run) throws Exception;

	}

}
