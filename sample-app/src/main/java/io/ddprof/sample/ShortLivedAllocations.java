package io.ddprof.sample;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * Allocation-heavy work: megabytes of arrays, garbage as soon as the request ends, or a
 * share of them kept reachable for a while in a bounded list (the objects that survive
 * young collections and cost the collector copying, as caches and queues make them).
 */
@Component
public class ShortLivedAllocations {

	/** The default array size: 64 KB, inside a TLAB. */
	public static final int DEFAULT_CHUNK = 64 * 1024;

	/** Most bytes the survivors hold; the oldest go first beyond it. */
	static final long SURVIVOR_BYTES = 64L * 1024 * 1024;

	private final Deque<byte[]> survivors = new ArrayDeque<>();

	private long survivorBytes;

	/**
	 * Allocates about {@code megabytes} MB in 64 KB arrays, all garbage; returns the
	 * bytes allocated.
	 */
	public long allocateGarbage(int megabytes) {
		return allocateGarbage(megabytes, DEFAULT_CHUNK, 0);
	}

	/**
	 * Allocates about {@code megabytes} MB in arrays of {@code chunkBytes}; one in
	 * {@code retainOneIn} (none when 0) joins the survivors, which keep the last
	 * {@value #SURVIVOR_BYTES} bytes so kept.
	 * @return the bytes allocated
	 */
	public long allocateGarbage(int megabytes, int chunkBytes, int retainOneIn) {
		long total = (long) megabytes * 1024 * 1024;
		int perBatch = Math.max(1, (1024 * 1024) / chunkBytes);
		long allocated = 0;
		long checksum = 0;
		long count = 0;
		List<byte[]> batch = new ArrayList<>(perBatch);
		while (allocated < total) {
			// Held in a list for about a megabyte, so that escape analysis cannot remove
			// the allocations.
			batch.clear();
			for (int i = 0; i < perBatch && allocated < total; i++) {
				byte[] chunk = new byte[chunkBytes];
				chunk[i % chunkBytes] = (byte) count;
				batch.add(chunk);
				allocated += chunk.length;
				if (retainOneIn > 0 && ++count % retainOneIn == 0) {
					survive(chunk);
				}
			}
			checksum += batch.get(batch.size() - 1)[0];
		}
		return (checksum >= 0) ? allocated : -allocated;
	}

	/** Bytes the survivors hold now. */
	public synchronized long survivorBytes() {
		return this.survivorBytes;
	}

	private synchronized void survive(byte[] chunk) {
		this.survivors.addLast(chunk);
		this.survivorBytes += chunk.length;
		while (this.survivorBytes > SURVIVOR_BYTES) {
			this.survivorBytes -= this.survivors.removeFirst().length;
		}
	}

}
