package io.ddprof.sample;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.github.luben.zstd.ZstdInputStream;
import io.ddprof.testing.IntakeServer;
import io.ddprof.testing.JavaProcess;
import io.ddprof.testing.JfrEvents;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Datadog reads from the packaged sample's uploads (Brave tracing on Spring MVC):
 * the events dd-java-agent writes, with its field names and types, each sample of a
 * request's own method carrying that request's span id and local root span id, and one
 * {@code datadog.Endpoint} per request. Every request answers with its server span's id,
 * which is what the samples must carry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatadogSpansIT {

	private static final Duration LOAD = Duration.ofSeconds(12);

	private static final int WORKERS = 4;

	private static final List<String> REQUESTS = List.of("/cpu?millis=30", "/io?millis=30", "/alloc?mb=8", "/leak");

	private final Map<String, List<Long>> spansByEndpoint = new ConcurrentHashMap<>();

	private final List<RecordedEvent> events = new ArrayList<>();

	private IntakeServer intake;

	@BeforeAll
	void driveTheSampleThenReadItsUploads(@TempDir Path temp) throws Exception {
		this.intake = new IntakeServer();
		try (JavaProcess app = PackagedSample.startWithProbe(List.of(),
				List.of("--ddprof.upload.period=5s", "--ddprof.upload.enabled=true",
						"--ddprof.agent.url=" + this.intake.url(), "--ddprof.temp-directory=" + temp.resolve("work"),
						"--ddprof.local.directory=" + temp.resolve("profiles")),
				Map.of(), Path.of("target", "datadog-spans-it.log"))) {
			app.awaitHealthy();
			drive(app);
			app.terminate();
		}
		for (IntakeServer.Request upload : this.intake.requests(PackagedSample.INTAKE_PATH)) {
			Path jfr = Files.createTempFile(temp, "upload-", ".jfr");
			try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(upload.parts().get(1).content()))) {
				Files.copy(in, jfr, StandardCopyOption.REPLACE_EXISTING);
			}
			this.events.addAll(RecordingFile.readAllEvents(jfr));
		}
		Map<String, Long> counts = this.events.stream()
			.collect(Collectors.groupingBy((event) -> event.getEventType().getName(), Collectors.counting()));
		System.out.println("DatadogSpansIT: " + this.intake.requests(PackagedSample.INTAKE_PATH).size()
				+ " uploads, events " + counts + ", requests "
				+ this.spansByEndpoint.entrySet()
					.stream()
					.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().size())));
	}

	@AfterAll
	void stopIntake() {
		if (this.intake != null) {
			this.intake.close();
		}
	}

	@Test
	void eachEventKindCarriesTheFieldsDatadogReadsWithDdJavaAgentsTypes() {
		List<String> sample = List.of("startTime:long", "eventThread:java.lang.Thread",
				"stackTrace:jdk.types.StackTrace", "spanId:long", "localRootSpanId:long");
		assertFields("datadog.ExecutionSample", sample, "state:java.lang.String", "mode:java.lang.String",
				"weight:long");
		assertFields("datadog.MethodSample", sample, "state:java.lang.String", "mode:java.lang.String", "weight:long");
		assertFields("datadog.ObjectSample", sample, "objectClass:java.lang.Class", "size:long", "weight:float");
		assertFields("datadog.HeapLiveObject", sample, "objectClass:java.lang.Class", "size:long", "weight:float");
		assertFields("datadog.Endpoint", List.of("startTime:long", "eventThread:java.lang.Thread"),
				"endpoint:java.lang.String", "operation:java.lang.String", "localRootSpanId:long");
	}

	@Test
	void cpuSamplesOfTheCpuEndpointCarryTheirRequestsSpan() {
		assertOwnSpan("datadog.ExecutionSample", PrimeSearch.class, "searchPrimes", "cpu");
	}

	@Test
	void wallSamplesOfTheIoEndpointCarryTheirRequestsSpan() {
		assertOwnSpan("datadog.MethodSample", SlowDownstream.class, "callSlowDownstream", "io");
	}

	@Test
	void allocationSamplesOfTheAllocEndpointCarryTheirRequestsSpan() {
		assertOwnSpan("datadog.ObjectSample", ShortLivedAllocations.class, "allocateGarbage", "alloc");
	}

	@Test
	void eachRequestHasOneEndpointEventWithItsRouteAndServletOperation() {
		Map<Long, List<RecordedEvent>> endpoints = this.events.stream()
			.filter((event) -> event.getEventType().getName().equals("datadog.Endpoint"))
			.collect(Collectors.groupingBy((event) -> event.getLong("localRootSpanId")));
		Map<String, String> routes = Map.of("cpu", "GET /cpu", "io", "GET /io", "alloc", "GET /alloc", "leak",
				"GET /leak");
		this.spansByEndpoint.forEach((endpoint, spans) -> assertThat(spans).allSatisfy((span) -> {
			assertThat(endpoints.get(span)).as("datadog.Endpoint of a /%s request", endpoint).hasSize(1);
			RecordedEvent event = endpoints.get(span).get(0);
			assertThat(event.getString("endpoint")).isEqualTo(routes.get(endpoint));
			assertThat(event.getString("operation")).isEqualTo("servlet.request");
		}));
		assertThat(this.spansByEndpoint.get("cpu")).hasSizeGreaterThan(20);
	}

	/**
	 * At least 95% of the method's samples carry the span and local root of one of its
	 * endpoint's requests.
	 */
	private void assertOwnSpan(String type, Class<?> owner, String method, String endpoint) {
		List<Long> requests = this.spansByEndpoint.get(endpoint);
		List<RecordedEvent> samples = this.events.stream()
			.filter((event) -> event.getEventType().getName().equals(type))
			.filter((event) -> JfrEvents.stackHas(event, owner.getName(), method))
			.toList();
		assertThat(samples).as("%s in %s.%s", type, owner.getSimpleName(), method).hasSizeGreaterThanOrEqualTo(20);
		long own = samples.stream()
			.filter((event) -> requests.contains(event.getLong("spanId"))
					&& event.getLong("localRootSpanId") == event.getLong("spanId"))
			.count();
		assertThat((double) own / samples.size())
			.as("share of %s in %s carrying their request's span (%d of %d)", type, method, own, samples.size())
			.isGreaterThanOrEqualTo(0.95);
	}

	private void assertFields(String type, List<String> common, String... specific) {
		RecordedEvent event = this.events.stream()
			.filter((candidate) -> candidate.getEventType().getName().equals(type))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + type + " in the uploads"));
		List<String> fields = event.getEventType()
			.getFields()
			.stream()
			.map((ValueDescriptor field) -> field.getName() + ":" + field.getTypeName())
			.toList();
		assertThat(fields).as(type).containsAll(common).contains(specific);
	}

	private void drive(JavaProcess app) throws Exception {
		long end = System.nanoTime() + LOAD.toNanos();
		ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int w = 0; w < WORKERS; w++) {
				int offset = w;
				running.add(workers.submit(() -> {
					for (int n = offset; System.nanoTime() < end; n++) {
						JsonNode answer = app.get(REQUESTS.get(n % REQUESTS.size()));
						this.spansByEndpoint
							.computeIfAbsent(answer.get("endpoint").asString(),
									(key) -> Collections.synchronizedList(new ArrayList<>()))
							.add(Long.parseUnsignedLong(answer.get("spanId").asString(), 16));
					}
					return null;
				}));
			}
			for (Future<?> worker : running) {
				worker.get();
			}
		}
		finally {
			workers.shutdownNow();
		}
		this.spansByEndpoint.replaceAll((endpoint, spans) -> List.copyOf(spans));
		// The last requests' window is the one the shutdown flushes: wait for one
		// periodic upload at least.
		await().atMost(Duration.ofSeconds(60)).until(() -> !this.intake.requests(PackagedSample.INTAKE_PATH).isEmpty());
	}

}
