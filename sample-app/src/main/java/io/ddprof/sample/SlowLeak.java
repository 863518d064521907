package io.ddprof.sample;

import java.util.ArrayDeque;
import java.util.Deque;

import org.springframework.stereotype.Component;

/**
 * A slow leak, the kind a static cache makes: every call retains a little more in a
 * static structure. Bounded on purpose: once the retained total reaches the cap (64 MB by
 * default) the structure is cleared, so a sample left running for days never runs out of
 * memory, and the live-heap profile shows a saw tooth rather than a cliff.
 */
@Component
public class SlowLeak {

	private static final Deque<byte[]> RETAINED = new ArrayDeque<>();

	private static long retainedBytes;

	private final int bytesPerCall;

	private final long capBytes;

	/** A leak of 64 KB per call, capped at 64 MB (cleared every 1024 calls). */
	public SlowLeak() {
		this(64 * 1024, 64L * 1024 * 1024);
	}

	SlowLeak(int bytesPerCall, long capBytes) {
		this.bytesPerCall = bytesPerCall;
		this.capBytes = capBytes;
	}

	/** Retains {@code bytesPerCall} more bytes; returns the bytes retained now. */
	public long leakALittle() {
		byte[] retained = new byte[this.bytesPerCall];
		synchronized (RETAINED) {
			if (retainedBytes + retained.length > this.capBytes) {
				RETAINED.clear();
				retainedBytes = 0;
			}
			RETAINED.add(retained);
			retainedBytes += retained.length;
			return retainedBytes;
		}
	}

	/** The bytes retained now. */
	public long retainedBytes() {
		synchronized (RETAINED) {
			return retainedBytes;
		}
	}

}
