package io.ddprof.sample;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

/** Allocation-heavy work: megabytes of objects that are garbage as soon as the request ends. */
@Component
public class ShortLivedAllocations {

	private static final int CHUNK = 64 * 1024;

	/** Allocates about {@code megabytes} MB in 64 KB arrays; returns the bytes allocated. */
	public long allocateGarbage(int megabytes) {
		long allocated = 0;
		long checksum = 0;
		List<byte[]> batch = new ArrayList<>();
		for (int mb = 0; mb < megabytes; mb++) {
			// Held in a list for one megabyte, so that escape analysis cannot remove the allocations.
			batch.clear();
			for (int i = 0; i < 1024 * 1024 / CHUNK; i++) {
				byte[] chunk = new byte[CHUNK];
				chunk[i] = (byte) mb;
				batch.add(chunk);
				allocated += chunk.length;
			}
			checksum += batch.get(batch.size() - 1)[batch.size() - 1];
		}
		return (checksum >= 0) ? allocated : -allocated;
	}

}
