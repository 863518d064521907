package io.ddprof.profile;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The profile types ddprof records, named as users filter them ({@code cpu},
 * {@code wall}, ...).
 */
public enum EventType {

	/** On-CPU samples. */
	CPU,

	/** Wall-clock samples of threads, running or not. */
	WALL,

	/** Allocation samples. */
	ALLOC,

	/** Sampled allocations still alive at the end of the window (leaks). */
	LIVE,

	/** Lock contention: monitors and parks longer than the threshold. */
	LOCK;

	/** The lower-case name used in parameters, pprof sample types and file names. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses a lower- or upper-case name; {@code null} when unknown. */
	public static @Nullable EventType fromId(String id) {
		for (EventType type : values()) {
			if (type.id().equalsIgnoreCase(id)) {
				return type;
			}
		}
		return null;
	}

}
