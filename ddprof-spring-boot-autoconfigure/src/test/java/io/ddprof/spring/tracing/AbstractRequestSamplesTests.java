package io.ddprof.spring.tracing;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.ddprof.Profiler;
import io.ddprof.config.EngineChoice;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.SpanTag;
import io.ddprof.export.CollectingExporter;
import io.ddprof.format.DatadogJfrWriter;
import io.ddprof.format.ProfileReader;
import io.ddprof.format.Samples;
import io.ddprof.profile.EventType;
import io.ddprof.spring.tracing.RecordedSpans.Sample;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a real traced Spring application under the real async-profiler, sends it one
 * traced request with nested spans and a burst of concurrent ones, and checks the
 * recording: CPU samples joined to span intervals (same thread, time inside, innermost
 * wins) must carry the span and local root span of the request they were taken in, and
 * the local root its endpoint. The profile's own join ({@link ProfileReader}) is held to
 * the same truth. Subclasses choose the tracer bridge, the web stack and the engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractRequestSamplesTests {

	private static final int CONCURRENT_REQUESTS = 8;

	private static final String BRAVE_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration";

	private static final String OTEL_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration";

	private static final String TOMCAT_REACTIVE_AUTO_CONFIGURATION = "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration";

	// The main auto-configuration would make a profiler of its own.
	private static final String DDPROF_AUTO_CONFIGURATION = "io.ddprof.spring.autoconfigure.DdprofAutoConfiguration";

	// Spring Security is on the module's test class path (for the actuator's tests);
	// these
	// requests are not about it.
	private static final List<String> SECURITY_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration");

	/** The tracer bridge under test. */
	enum Bridge {

		BRAVE, OTEL

	}

	/** The web stack under test. */
	enum Web {

		MVC, WEBFLUX

	}

	private final Bridge bridge;

	private final Web web;

	private final EngineChoice engine;

	private RecordedSpans recorded;

	private Samples profile;

	private Handled traced;

	private final List<Handled> concurrent = new ArrayList<>();

	private long outsideThreadId;

	private final List<RecordedEvent> datadog = new ArrayList<>();

	AbstractRequestSamplesTests(Bridge bridge, Web web) {
		this(bridge, web, EngineChoice.ASYNC_PROFILER);
	}

	AbstractRequestSamplesTests(Bridge bridge, Web web, EngineChoice engine) {
		this.bridge = bridge;
		this.web = web;
		this.engine = engine;
	}

	@BeforeAll
	void recordRequests(@TempDir Path temp) throws Exception {
		CollectingExporter collected = new CollectingExporter(Files.createDirectories(temp.resolve("collected")));
		Profiler profiler = new Profiler(ProfilerSettings.builder()
			.service("request-samples-tests")
			.engine(this.engine)
			.cpuInterval(Duration.ofNanos(997_000))
			.wallEnabled(false)
			.allocEnabled(false)
			.lockEnabled(false)
			.uploadEnabled(false)
			.uploadPeriod(Duration.ofMinutes(10))
			.tempDirectory(temp)
			.build());
		profiler.addExporter(collected);
		profiler.start(false, false);
		Outside outside = new Outside();
		try (ConfigurableApplicationContext context = application(profiler).run()) {
			// The requests are recorded in one window: the profiler cuts its first window
			// a few
			// seconds after start, then not for ten minutes. A span that a cut divides is
			// joined
			// window by window (its samples before the cut lose it), which this test does
			// not check.
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (collected.windows().isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(collected.windows()).as("the first window, cut soon after start").hasSize(1);
			outside.start();
			int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			this.traced = send(client, port, 0, 300, true).get(60, TimeUnit.SECONDS);
			List<CompletableFuture<Handled>> burst = new ArrayList<>();
			for (int id = 1; id <= CONCURRENT_REQUESTS; id++) {
				burst.add(send(client, port, id, concurrentWorkMillis(), false));
			}
			for (CompletableFuture<Handled> handled : burst) {
				this.concurrent.add(handled.get(60, TimeUnit.SECONDS));
			}
		}
		finally {
			this.outsideThreadId = outside.stop();
			profiler.stop(true);
		}
		assertThat(collected.files()).isNotEmpty();
		this.recorded = RecordedSpans.read(collected.files());
		this.profile = ProfileReader.read(collected.files());
		// Each window as the Datadog upload writes it, read back by the JDK's parser.
		for (Path window : collected.files()) {
			Path converted = Files.createTempFile(temp, "datadog-", ".jfr");
			try (OutputStream out = Files.newOutputStream(converted)) {
				DatadogJfrWriter.write(ProfileReader.read(window), out);
			}
			this.datadog.addAll(RecordingFile.readAllEvents(converted));
		}
	}

	@Test
	void datadogsCpuSamplesOfEachRequestCarryItsSpanAndLocalRootAndEachRequestHasOneEndpoint() {
		List<Handled> requests = new ArrayList<>(this.concurrent);
		requests.add(this.traced);
		String operation = (this.web == Web.MVC) ? "servlet.request" : "netty.request";
		for (Handled handled : requests) {
			List<RecordedEvent> work = this.datadog.stream()
				.filter((event) -> event.getEventType().getName().equals(DatadogJfrWriter.EXECUTION_SAMPLE))
				.filter((event) -> frames(event, "rootWork") > 0 && frames(event, "level") - 1 == handled.id())
				.toList();
			assertThat(work.size()).as("Datadog samples of request %d", handled.id()).isGreaterThan(enough(50));
			long own = work.stream()
				.filter((event) -> event.getLong("spanId") == handled.spanId()
						&& event.getLong("localRootSpanId") == handled.spanId())
				.count();
			assertThat((double) own / work.size())
				.as("share of request %d's Datadog samples carrying its span ids", handled.id())
				.isGreaterThanOrEqualTo(0.95);
			List<RecordedEvent> endpoints = this.datadog.stream()
				.filter((event) -> event.getEventType().getName().equals(DatadogJfrWriter.ENDPOINT))
				.filter((event) -> event.getLong("localRootSpanId") == handled.spanId())
				.toList();
			assertThat(endpoints).as("datadog.Endpoint of request %d", handled.id())
				.singleElement()
				.satisfies((event) -> {
					assertThat(event.getString("endpoint")).isEqualTo(TracedApplication.ENDPOINT);
					assertThat(event.getString("operation")).isEqualTo(operation);
				});
		}
		List<RecordedEvent> nested = this.datadog.stream()
			.filter((event) -> event.getEventType().getName().equals(DatadogJfrWriter.EXECUTION_SAMPLE))
			.filter((event) -> frames(event, "spanWork") > 0)
			.toList();
		assertThat(nested.size()).isGreaterThan(enough(50));
		assertThat(nested.stream()
			.filter((event) -> event.getLong("spanId") == this.traced.tracerSpanId()
					&& event.getLong("localRootSpanId") == this.traced.spanId())
			.count()).isGreaterThanOrEqualTo((long) Math.ceil(0.95 * nested.size()));
	}

	private static long frames(RecordedEvent event, String method) {
		return event.getStackTrace()
			.getFrames()
			.stream()
			.filter((frame) -> frame.getMethod().getName().equals(method))
			.count();
	}

	@Test
	void cpuSamplesOfTheHandlingThreadDuringTheRequestCarryItsLocalRootSpanAndEndpoint() {
		List<Sample> work = this.recorded.samples((sample) -> sample.threadId() == this.traced.threadId()
				&& requestOf(sample) == 0 && sample.has("rootWork"));
		assertThat(work.size()).as("samples of the request's own work").isGreaterThan(enough(100));
		Instant from = work.stream().map(Sample::time).min(Comparator.naturalOrder()).orElseThrow();
		Instant to = work.stream().map(Sample::time).max(Comparator.naturalOrder()).orElseThrow();
		List<Sample> during = this.recorded.samples((sample) -> sample.threadId() == this.traced.threadId()
				&& !sample.time().isBefore(from) && !sample.time().isAfter(to));
		assertThat(share(during, (sample) -> carries(sample, this.traced, this.traced.spanId())))
			.as("share of the handling thread's samples during the request that carry its span")
			.isGreaterThanOrEqualTo(0.9);
		assertThat(this.recorded.endpoints(this.traced.spanId())).containsExactly(TracedApplication.ENDPOINT);
	}

	@Test
	void samplesInANestedObservationCarryItsSpanAndTheRequestsLocalRoot() {
		List<Sample> nested = this.recorded.samples((sample) -> sample.has("observationWork"));
		assertThat(nested.size()).isGreaterThan(enough(50));
		assertThat(this.traced.observationSpanId()).isNotEqualTo(this.traced.spanId());
		assertThat(share(nested, (sample) -> carries(sample, this.traced, this.traced.observationSpanId())))
			.isGreaterThanOrEqualTo(0.9);
		// Seen by both the Observation handler and the tracer's hook, recorded once.
		// (With metrics,
		// the span comes into scope once more when the Observation stops, for exemplars.)
		assertThat(this.recorded.intervalCount(this.traced.observationSpanId())).isPositive();
		assertThat(this.recorded.overlappingIntervals(this.traced.observationSpanId()))
			.as("overlapping intervals of the nested Observation's span")
			.isZero();
	}

	@Test
	void samplesInASpanMadeThroughTheTracerCarryItsSpanAndTheRequestsLocalRoot() {
		List<Sample> nested = this.recorded.samples((sample) -> sample.has("spanWork"));
		assertThat(nested.size()).isGreaterThan(enough(50));
		assertThat(this.traced.tracerSpanId()).isNotEqualTo(this.traced.spanId());
		assertThat(share(nested, (sample) -> carries(sample, this.traced, this.traced.tracerSpanId())))
			.isGreaterThanOrEqualTo(0.9);
		assertThat(this.recorded.intervalCount(this.traced.tracerSpanId())).isOne();
		assertThat(this.recorded.overlappingIntervals(this.traced.spanId()))
			.as("overlapping intervals of the request's span")
			.isZero();
	}

	@Test
	void samplesOutsideAnyRequestCarryNoSpan() {
		List<Sample> outside = this.recorded.samples((sample) -> sample.threadId() == this.outsideThreadId);
		assertThat(outside.size()).isGreaterThan(enough(20));
		assertThat(outside.stream().filter((sample) -> this.recorded.spanOf(sample) != null).count())
			.as("samples outside any request that carry a span")
			.isZero();
	}

	@Test
	void concurrentRequestsKeepTheirOwnSpans() {
		assertThat(this.concurrent).hasSize(CONCURRENT_REQUESTS);
		assertThat(this.concurrent.stream().map(Handled::threadId).distinct().count())
			.as("threads that handled the concurrent requests")
			.isGreaterThan(1);
		for (Handled handled : this.concurrent) {
			List<Sample> work = this.recorded
				.samples((sample) -> sample.has("rootWork") && requestOf(sample) == handled.id());
			assertThat(work.size()).as("samples of request %d", handled.id()).isGreaterThan(enough(50));
			assertThat(share(work, (sample) -> carries(sample, handled, handled.spanId())))
				.as("share of request %d's samples that carry its span", handled.id())
				.isGreaterThanOrEqualTo(0.9);
			assertThat(work.stream().filter((sample) -> {
				SpanTag tag = this.recorded.spanOf(sample);
				return tag != null && tag.localRootSpanId() != handled.spanId();
			}).count()).as("request %d's samples carrying another request's span", handled.id()).isZero();
		}
	}

	@Test
	void everyRequestsLocalRootSpanHasOneEndpoint() {
		assertThat(this.recorded.endpoints(this.traced.spanId())).containsExactly(TracedApplication.ENDPOINT);
		for (Handled handled : this.concurrent) {
			assertThat(this.recorded.endpoints(handled.spanId())).as("endpoints of request %d", handled.id())
				.containsExactly(TracedApplication.ENDPOINT);
		}
		assertThat(this.recorded.endpoints(this.traced.observationSpanId())).isEmpty();
	}

	@Test
	void theProfilesOwnJoinLabelsEverySampleOfEachRequestWithItsSpanAndEndpoint() {
		List<io.ddprof.format.Sample> cpu = new ArrayList<>();
		for (int i = 0; i < this.profile.size(); i++) {
			if (this.profile.type(i) == EventType.CPU) {
				cpu.add(this.profile.get(i));
			}
		}
		List<Handled> requests = new ArrayList<>(this.concurrent);
		requests.add(this.traced);
		for (Handled handled : requests) {
			List<io.ddprof.format.Sample> work = cpu.stream()
				.filter((sample) -> frames(sample, "rootWork") > 0 && frames(sample, "level") - 1 == handled.id())
				.toList();
			assertThat(work.size()).as("samples of request %d", handled.id()).isGreaterThan(enough(50));
			long labelled = work.stream()
				.filter((sample) -> sample.span() != null && sample.span().spanId() == handled.spanId()
						&& sample.span().localRootSpanId() == handled.spanId()
						&& handled.traceId().equals(sample.span().traceId())
						&& TracedApplication.ENDPOINT.equals(sample.span().endpoint()))
				.count();
			assertThat((double) labelled / work.size())
				.as("share of request %d's samples the profile labels with its span and endpoint", handled.id())
				.isGreaterThanOrEqualTo(0.9);
		}
		List<io.ddprof.format.Sample> nested = cpu.stream().filter((sample) -> frames(sample, "spanWork") > 0).toList();
		assertThat(nested.size()).isGreaterThan(enough(50));
		assertThat(nested.stream()
			.filter((sample) -> sample.span() != null && sample.span().spanId() == this.traced.tracerSpanId()
					&& sample.span().localRootSpanId() == this.traced.spanId())
			.count()).isGreaterThanOrEqualTo((long) Math.ceil(0.9 * nested.size()));
	}

	private static long frames(io.ddprof.format.Sample sample, String method) {
		return sample.stack().stream().filter((frame) -> frame.methodName().equals(method)).count();
	}

	private boolean carries(Sample sample, Handled request, long spanId) {
		SpanTag tag = this.recorded.spanOf(sample);
		return tag != null && tag.spanId() == spanId && tag.localRootSpanId() == request.spanId()
				&& tag.traceId().equals(request.traceId());
	}

	/**
	 * CPU each concurrent request burns. Eight of them share two cores, and the JDK's
	 * sampler visits a few threads per period, so under JFR 200 ms gave each request
	 * about five samples, at the edge of {@link #enough}: three times the work gives the
	 * shares something to stand on.
	 */
	private long concurrentWorkMillis() {
		return (this.engine == EngineChoice.JFR) ? 600 : 200;
	}

	/**
	 * The fewest samples that make a share meaningful: async-profiler samples each busy
	 * thread about every millisecond of CPU; the JDK's sampler visits only a few threads
	 * per period.
	 */
	private int enough(int withAsyncProfiler) {
		return (this.engine == EngineChoice.JFR) ? Math.max(4, withAsyncProfiler / 10) : withAsyncProfiler;
	}

	/** The request a sample's work belongs to: one less than its {@code level} frames. */
	private static int requestOf(Sample sample) {
		return sample.count("level") - 1;
	}

	private static double share(List<Sample> samples, Predicate<Sample> predicate) {
		return samples.isEmpty() ? 0 : (double) samples.stream().filter(predicate).count() / samples.size();
	}

	private SpringApplicationBuilder application(Profiler profiler) {
		boolean mvc = this.web == Web.MVC;
		List<String> excluded = new ArrayList<>(List.of(DDPROF_AUTO_CONFIGURATION,
				(this.bridge == Bridge.BRAVE) ? OTEL_AUTO_CONFIGURATION : BRAVE_AUTO_CONFIGURATION));
		excluded.addAll(SECURITY_AUTO_CONFIGURATIONS);
		if (!mvc) {
			excluded.add(TOMCAT_REACTIVE_AUTO_CONFIGURATION);
		}
		return new SpringApplicationBuilder(mvc ? TracedApplication.Mvc.class : TracedApplication.WebFlux.class)
			.web(mvc ? WebApplicationType.SERVLET : WebApplicationType.REACTIVE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("profiler", profiler))
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"management.tracing.sampling.probability=1.0",
					"spring.autoconfigure.exclude=" + String.join(",", excluded));
	}

	private static CompletableFuture<Handled> send(HttpClient client, int port, int id, long millis, boolean nested) {
		URI uri = URI.create("http://127.0.0.1:" + port + "/burn/" + id + "?millis=" + millis + "&nested=" + nested);
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build();
		return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply((response) -> {
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return Handled.parse(id, response.body());
		});
	}

	/** What a request's handler saw in scope: the ids of its spans and its thread. */
	record Handled(int id, String traceId, long spanId, long threadId, long observationSpanId, long tracerSpanId) {

		static Handled parse(int id, String body) {
			String[] parts = body.split(" ");
			return new Handled(id, parts[0], Long.parseUnsignedLong(parts[1], 16), Long.parseLong(parts[2]),
					Long.parseUnsignedLong(parts[3], 16), Long.parseUnsignedLong(parts[4], 16));
		}

	}

	/** A thread burning CPU outside any request, until stopped. */
	private static final class Outside {

		private final Thread thread = new Thread(this::run, "outside-requests");

		private volatile boolean stopped;

		void start() {
			this.thread.start();
		}

		long stop() throws InterruptedException {
			this.stopped = true;
			this.thread.join(60_000);
			return this.thread.getId();
		}

		private void run() {
			while (!this.stopped) {
				TracedApplication.outsideWork(20);
			}
		}

	}

}
