package io.ddprof.export.datadog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.QueuedWindow;
import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadRequest.Bytes;
import io.ddprof.export.upload.UploadRequest.FileBody;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link UploadRequestFactory}: the one place a request is built, whatever the transport.
 */
class UploadRequestFactoryTests {

	private static final RuntimeInfo RUNTIME = new RuntimeInfo("web-1", 4242, "6f1c4f3e-2b1d-4c55-9a55-0d5d7b0c1e2f",
			"17.0.15", "OpenJDK 64-Bit Server VM", "Debian", "abc123", "entrypoint.name:app,entrypoint.type:class",
			"1.0.0");

	private static final QueuedWindow WINDOW = new QueuedWindow(5, Instant.parse("2026-11-25T13:39:41.197301300Z"),
			Instant.parse("2026-11-25T13:39:51.136301168Z"), "on_shutdown", Path.of("window-5.jfr.zst"), 1234, 0);

	@Test
	void buildsTheHeadersInOrderAndBothPartsWithTheWindowStreamedFromItsFile() {
		UploadRequest request = factory(ProfilerSettings.builder().service("orders").build()).create(WINDOW);

		assertThat(request.uri()).hasToString("http://localhost:8126/profiling/v1/input");
		assertThat(request.headers()).containsExactly(Map.entry("DD-EVP-ORIGIN", "ddprof"),
				Map.entry("DD-EVP-ORIGIN-VERSION", "1.0.0"), Map.entry("Datadog-Meta-Lang", "java"),
				Map.entry("Datadog-Meta-Lang-Version", "17.0.15"),
				Map.entry("Datadog-Meta-Lang-Interpreter", "OpenJDK 64-Bit Server VM"),
				Map.entry("Datadog-Meta-Lang-Interpreter-Vendor", "Debian"),
				Map.entry("Datadog-Container-ID", "abc123"));
		// Literal on purpose: the intake's names, which DatadogMultipart holds and other
		// tests take from it.
		assertThat(request.parts())
			.extracting(UploadRequest.Part::name, UploadRequest.Part::filename, UploadRequest.Part::contentType)
			.containsExactly(tuple("event", "event.json", "application/json"),
					tuple("main", "main.jfr", "application/octet-stream"));
		assertThat(request.parts().get(1).body()).isEqualTo(new FileBody(Path.of("window-5.jfr.zst"), 1234));
		assertThat(request.multipart()).isTrue();
		assertThat(request.parts().stream().mapToLong((part) -> part.body().length()).sum())
			.isEqualTo(request.parts().get(0).body().length() + 1234);
	}

	@Test
	void writesTheEventAsDatadogsUploaderDoes() {
		UploadRequest request = factory(ProfilerSettings.builder()
			.service("orders")
			.env("prod")
			.version("2.0")
			.tags(Map.of("region", "eu-west-1"))
			.build()).create(WINDOW);

		Map<String, Object> json = DatadogExporterTests.eventJson(eventText(request));
		assertThat(json).containsExactly(Map.entry("attachments", List.of("main.jfr")), Map.entry("tags_profiler",
				"service:orders,env:prod,version:2.0,region:eu-west-1,host:web-1,language:jvm,"
						+ "runtime_version:17.0.15,process_id:4242,runtime-id:6f1c4f3e-2b1d-4c55-9a55-0d5d7b0c1e2f,"
						+ "profiler_version:1.0.0,library_version:1.0.0,snapshot:on_shutdown"),
				Map.entry("process_tags", "entrypoint.name:app,entrypoint.type:class"),
				Map.entry("start", "2026-11-25T13:39:41.197301300Z"),
				Map.entry("end", "2026-11-25T13:39:51.136301168Z"), Map.entry("family", "java"),
				Map.entry("version", "4"));
	}

	@Test
	void sendsDatadogTagsAsDdTraceJavaParsesThemAValuelessTagWithAnEmptyValue() {
		Map<String, String> tags = new LinkedHashMap<>();
		tags.put("team", "");
		tags.put("1zone", "a");
		tags.put("owner", "John Smith");
		UploadRequest request = factory(ProfilerSettings.builder().service("orders").tags(tags).build()).create(WINDOW);

		String tagsProfiler = (String) DatadogExporterTests.eventJson(eventText(request)).get("tags_profiler");
		assertThat(tagsProfiler).startsWith("service:orders,team:,1zone:a,owner:John Smith,host:web-1,");
	}

	@Test
	void escapesWhatJsonCannotHoldAsItIsAndKeepsUserTagsFromReplacingTheProcessIdentity() {
		UploadRequest request = factory(ProfilerSettings.builder()
			.service("or\u0001ders \\ \"blue\"")
			.tags(Map.of("process_id", "1", "host", "named-by-user", "snapshot", "x"))
			.build()).create(WINDOW);

		Map<String, String> tags = DatadogExporterTests
			.tags((String) DatadogExporterTests.eventJson(eventText(request)).get("tags_profiler"));
		assertThat(tags).containsEntry("service", "or\u0001ders \\ blue")
			.containsEntry("process_id", "4242")
			.containsEntry("host", "named-by-user")
			.containsEntry("snapshot", "on_shutdown");
		assertThat(UploadRequestFactory.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
	}

	@Test
	void sendsTheApiKeyOnlyToTheAgentlessIntakeAndNeverShowsIt() {
		String key = "0123456789abcdef0123456789abcdef";
		UploadRequest viaAgent = factory(ProfilerSettings.builder().apiKey(key).build()).create(WINDOW);
		UploadRequest agentless = factory(
				ProfilerSettings.builder().agentless(true).apiKey(key).site("us5.datadoghq.com").build())
			.create(WINDOW);

		assertThat(viaAgent.headers()).doesNotContainKey("DD-API-KEY");
		assertThat(agentless.uri()).hasToString("https://intake.profile.us5.datadoghq.com/api/v2/profile");
		assertThat(agentless.headers()).containsEntry("DD-API-KEY", key);
		assertThat(agentless.toString()).doesNotContain(key).contains("DD-API-KEY=<redacted>");
	}

	@Test
	void leavesOutProcessTagsWhenThereAreNone() {
		RuntimeInfo bare = new RuntimeInfo("h", 1, "id", "17", "vm", "vendor", null, "", "1.0.0");
		UploadRequest request = new UploadRequestFactory(ProfilerSettings.builder().build(), () -> bare).create(WINDOW);

		assertThat(DatadogExporterTests.eventJson(eventText(request))).doesNotContainKey("process_tags");
		assertThat(request.headers()).doesNotContainKey("Datadog-Container-ID");
	}

	@Test
	void overTheAgentsSocketTheRequestNamesLocalhostAndCarriesTheSocket() {
		ProfilerSettings settings = ProfilerSettings.builder().agentUrl("unix:///var/run/datadog/apm.socket").build();
		AgentDestination socket = new AgentDestination(settings.agent().url(), "set");
		UploadRequestFactory requests = new UploadRequestFactory(settings, socket, () -> RUNTIME);
		UploadRequest request = requests.create(WINDOW);

		assertThat(request.uri()).hasToString("http://localhost/profiling/v1/input");
		assertThat(request.socket()).isEqualTo(Path.of("/var/run/datadog/apm.socket"));
		assertThat(requests.endpoint()).hasToString("unix:///var/run/datadog/apm.socket");
		// The same parts and headers as over TCP.
		UploadRequest overTcp = factory(ProfilerSettings.builder().build()).create(WINDOW);
		assertThat(overTcp.socket()).isNull();
		assertThat(request.headers()).isEqualTo(overTcp.headers());
		assertThat(request.parts()).extracting(UploadRequest.Part::name).containsExactly("event", "main");
	}

	private static UploadRequestFactory factory(ProfilerSettings settings) {
		return new UploadRequestFactory(settings, () -> RUNTIME);
	}

	private static String eventText(UploadRequest request) {
		return new String(((Bytes) request.parts().get(0).body()).data(), StandardCharsets.UTF_8);
	}

}
