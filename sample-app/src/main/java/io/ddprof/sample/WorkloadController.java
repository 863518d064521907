package io.ddprof.sample;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;

/**
 * The sample's endpoints, one per kind of work, each answering with what it did and the
 * trace it ran in.
 */
@RestController
public class WorkloadController {

	private static final Duration LOCK_HOLD = Duration.ofMillis(5);

	private static final long CHAINED_CPU_MILLIS = 20;

	// A hang guard: the downstream call is to this same service and normally takes
	// milliseconds.
	private static final Duration CHAIN_TIMEOUT = Duration.ofSeconds(30);

	private final PrimeSearch primeSearch;

	private final ShortLivedAllocations allocations;

	private final SlowLeak leak;

	private final ContendedLock lock;

	private final SlowDownstream downstream;

	private final Tracer tracer;

	private final WebClient webClient;

	WorkloadController(PrimeSearch primeSearch, ShortLivedAllocations allocations, SlowLeak leak, ContendedLock lock,
			SlowDownstream downstream, Tracer tracer, WebClient.Builder webClientBuilder) {
		this.primeSearch = primeSearch;
		this.allocations = allocations;
		this.leak = leak;
		this.lock = lock;
		this.downstream = downstream;
		this.tracer = tracer;
		// The application's builder carries Boot's observation customizer: each call is a
		// child span
		// and sends the trace context along.
		this.webClient = webClientBuilder.build();
	}

	/** CPU profile: searches primes for {@code millis} milliseconds. */
	@GetMapping("/cpu")
	public Work burnCpu(@RequestParam(defaultValue = "50") long millis) {
		requireRange("millis", millis, 1, 10_000);
		return work("cpu", this.primeSearch.searchPrimes(Duration.ofMillis(millis)));
	}

	/**
	 * Allocation profile: allocates {@code mb} megabytes in arrays of {@code chunk}
	 * bytes, all short-lived, or one in {@code retain} kept reachable for a while (see
	 * {@link ShortLivedAllocations}).
	 */
	@GetMapping("/alloc")
	public Work allocateGarbage(@RequestParam(defaultValue = "32") int mb,
			@RequestParam(defaultValue = "" + ShortLivedAllocations.DEFAULT_CHUNK) int chunk,
			@RequestParam(defaultValue = "0") int retain) {
		requireRange("mb", mb, 1, 1024);
		requireRange("chunk", chunk, 16, 16 * 1024 * 1024);
		requireRange("retain", retain, 0, 1_000_000);
		return work("alloc", this.allocations.allocateGarbage(mb, chunk, retain));
	}

	/**
	 * Live-heap profile: retains a little more memory on every call (bounded, see
	 * {@link SlowLeak}).
	 */
	@GetMapping("/leak")
	public Work leakMemory() {
		return work("leak", this.leak.leakALittle());
	}

	/** Lock profile: holds a monitor shared by every request for a few milliseconds. */
	@GetMapping("/lock")
	public Work contendOnLock() throws InterruptedException {
		return work("lock", this.lock.holdSharedLock(LOCK_HOLD));
	}

	/**
	 * Wall-clock profile: blocks in a socket read on a slow downstream service for
	 * {@code millis} milliseconds (the downstream protocol carries the delay in one byte,
	 * hence at most 255).
	 */
	@GetMapping("/io")
	public Work blockOnIo(@RequestParam(defaultValue = "50") long millis) throws IOException {
		requireRange("millis", millis, 1, 255);
		return work("io", this.downstream.callSlowDownstream(Duration.ofMillis(millis)));
	}

	/**
	 * A trace over two hops: calls {@code /cpu} on this same service over HTTP and waits
	 * for it.
	 */
	@GetMapping("/chain")
	public ChainedWork callCpuOverHttp(HttpServletRequest request) {
		URI cpu = URI.create("http://127.0.0.1:" + request.getLocalPort() + request.getContextPath() + "/cpu?millis="
				+ CHAINED_CPU_MILLIS);
		Work answer = this.webClient.get().uri(cpu).retrieve().bodyToMono(Work.class).block(CHAIN_TIMEOUT);
		return new ChainedWork("chain", traceId(), answer);
	}

	private Work work(String endpoint, long result) {
		Span span = this.tracer.currentSpan();
		return new Work(endpoint, result, (span != null) ? span.context().traceId() : null,
				(span != null) ? span.context().spanId() : null);
	}

	private String traceId() {
		Span span = this.tracer.currentSpan();
		return (span != null) ? span.context().traceId() : null;
	}

	private static void requireRange(String name, long value, long min, long max) {
		if (value < min || value > max) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					name + " must be between " + min + " and " + max + ", was " + value);
		}
	}

	/**
	 * What an endpoint did.
	 *
	 * @param endpoint the endpoint's name
	 * @param result primes found, bytes allocated, bytes retained, nanoseconds waited for
	 * the lock, or the downstream service's answer
	 * @param traceId the trace the request ran in
	 * @param spanId the request's server span (its local root span), as hex: the span id
	 * that the request's profile samples carry
	 */
	public record Work(String endpoint, long result, String traceId, String spanId) {
	}

	/**
	 * What {@code /chain} did.
	 *
	 * @param endpoint {@code chain}
	 * @param traceId the trace the request ran in
	 * @param downstream what the {@code /cpu} call answered, in the same trace
	 */
	public record ChainedWork(String endpoint, String traceId, Work downstream) {
	}

}
