package io.ddprof.format;

/** What a sampled thread was doing, as far as the recording says. */
public enum ThreadState {

	/** The recording does not say. */
	UNKNOWN,

	/** Running or ready to run. */
	RUNNABLE,

	/** Off the CPU: sleeping, waiting or blocked. */
	SLEEPING;

	static final ThreadState[] VALUES = values();

}
