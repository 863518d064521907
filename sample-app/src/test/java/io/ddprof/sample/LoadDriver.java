package io.ddprof.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives traffic to every endpoint of the sample for a bounded time and prints, per
 * endpoint, the requests made, the errors seen and the mean latency. JDK only, so that it
 * also runs as a single source file:
 * {@code java LoadDriver.java http://localhost:8080 60 4}.
 */
public final class LoadDriver {

	/** The endpoints driven, in the order every worker cycles through them. */
	static final List<String> MIX = List.of("/cpu?millis=50", "/lock", "/alloc?mb=32", "/lock", "/io", "/leak", "/lock",
			"/chain");

	// Hang guards: a request to a loopback service normally takes milliseconds.
	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private final URI base;

	private final Duration duration;

	private final int concurrency;

	private final HttpClient client;

	private final List<String> mix;

	private final Map<String, Tally> tallies = new LinkedHashMap<>();

	/**
	 * A driver of {@code concurrency} workers sending requests to {@code base} for
	 * {@code duration}.
	 */
	public LoadDriver(URI base, Duration duration, int concurrency) {
		this(base, duration, concurrency, MIX);
	}

	/**
	 * A driver of {@code concurrency} workers cycling through {@code mix} (paths with
	 * their queries) on {@code base} for {@code duration}.
	 */
	public LoadDriver(URI base, Duration duration, int concurrency, List<String> mix) {
		if (concurrency < 1 || duration.isNegative() || mix.isEmpty()) {
			throw new IllegalArgumentException(
					"concurrency must be at least 1, duration not negative and the mix not empty");
		}
		this.base = base;
		this.duration = duration;
		this.concurrency = concurrency;
		this.mix = List.copyOf(mix);
		this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
		this.mix.forEach((path) -> this.tallies.putIfAbsent(endpoint(path), new Tally()));
	}

	/**
	 * Runs the load: {@code <base URL> <seconds> <concurrency>}, for example
	 * {@code http://localhost:8080 60 4}.
	 */
	public static void main(String[] args) throws InterruptedException {
		if (args.length != 3) {
			throw new IllegalArgumentException("usage: LoadDriver <base URL> <seconds> <concurrency>");
		}
		LoadDriver driver = new LoadDriver(URI.create(args[0]), Duration.ofSeconds(Long.parseLong(args[1])),
				Integer.parseInt(args[2]));
		System.out.println("Driving " + args[0] + " for " + args[1] + "s with " + args[2] + " workers: " + MIX);
		System.out.print(driver.run().format());
	}

	/**
	 * Sends requests until the duration has passed, each worker cycling through the mix
	 * from its own offset, and returns what each endpoint answered. Returns within the
	 * duration plus one request timeout.
	 */
	public Report run() throws InterruptedException {
		long deadline = System.nanoTime() + this.duration.toNanos();
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < this.concurrency; i++) {
			int offset = i;
			Thread worker = new Thread(() -> drive(offset, deadline), "load-driver-" + i);
			worker.setDaemon(true);
			worker.start();
			workers.add(worker);
		}
		long joinDeadline = deadline + REQUEST_TIMEOUT.toNanos() + CONNECT_TIMEOUT.toNanos();
		for (Thread worker : workers) {
			worker.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
		}
		List<EndpointReport> endpoints = new ArrayList<>();
		this.tallies.forEach((endpoint, tally) -> endpoints.add(tally.report(endpoint)));
		return new Report(endpoints);
	}

	private void drive(int offset, long deadline) {
		for (int n = offset; System.nanoTime() < deadline && !Thread.currentThread().isInterrupted(); n++) {
			String path = this.mix.get(n % this.mix.size());
			this.tallies.get(endpoint(path)).record(() -> get(path));
		}
	}

	private void get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build();
		HttpResponse<Void> response = this.client.send(request, HttpResponse.BodyHandlers.discarding());
		if (response.statusCode() != 200) {
			throw new IOException("HTTP " + response.statusCode());
		}
	}

	private static String endpoint(String path) {
		int query = path.indexOf('?');
		return (query < 0) ? path : path.substring(0, query);
	}

	/** A request whose failure is counted. */
	private interface Request {

		void send() throws IOException, InterruptedException;

	}

	/** The counters of one endpoint, shared by the workers. */
	private static final class Tally {

		private final LongAdder requests = new LongAdder();

		private final LongAdder errors = new LongAdder();

		private final LongAdder nanos = new LongAdder();

		private final AtomicReference<String> firstError = new AtomicReference<>();

		void record(Request request) {
			long start = System.nanoTime();
			try {
				request.send();
			}
			catch (IOException | RuntimeException ex) {
				this.errors.increment();
				this.firstError.compareAndSet(null, ex.toString());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				this.requests.increment();
				this.nanos.add(System.nanoTime() - start);
			}
		}

		EndpointReport report(String endpoint) {
			long count = this.requests.sum();
			Duration mean = Duration.ofNanos((count > 0) ? this.nanos.sum() / count : 0);
			return new EndpointReport(endpoint, count, this.errors.sum(), mean, this.firstError.get());
		}

	}

	/**
	 * What one endpoint answered.
	 *
	 * @param endpoint the path, without query
	 * @param requests requests sent
	 * @param errors requests that failed or answered other than 200
	 * @param meanLatency mean time to the whole answer
	 * @param firstError the first failure seen, or {@code null}
	 */
	public record EndpointReport(String endpoint, long requests, long errors, Duration meanLatency, String firstError) {
	}

	/**
	 * What a run saw.
	 *
	 * @param endpoints one report per endpoint, in the mix's order
	 */
	public record Report(List<EndpointReport> endpoints) {

		/** Requests sent to every endpoint. */
		public long requests() {
			return this.endpoints.stream().mapToLong(EndpointReport::requests).sum();
		}

		/** Requests that failed or answered other than 200, on every endpoint. */
		public long errors() {
			return this.endpoints.stream().mapToLong(EndpointReport::errors).sum();
		}

		/** The report of {@code endpoint} (a path such as {@code /cpu}). */
		public EndpointReport endpoint(String endpoint) {
			return this.endpoints.stream()
				.filter((report) -> report.endpoint().equals(endpoint))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("not driven: " + endpoint));
		}

		/** A table of requests, errors and mean latency per endpoint. */
		public String format() {
			StringBuilder table = new StringBuilder(
					String.format("%-8s %9s %7s %9s%n", "endpoint", "requests", "errors", "mean ms"));
			for (EndpointReport report : this.endpoints) {
				table.append(String.format("%-8s %9d %7d %9.1f%s%n", report.endpoint(), report.requests(),
						report.errors(), report.meanLatency().toNanos() / 1e6,
						(report.firstError() != null) ? "  first error: " + report.firstError() : ""));
			}
			return table.toString();
		}

	}

}
