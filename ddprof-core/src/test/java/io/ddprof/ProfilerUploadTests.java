package io.ddprof;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.ddprof.config.ProfilerSettings;
import io.ddprof.testing.IntakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The profiler uploads every window to the agent, the last one as
 * {@code snapshot:on_shutdown}.
 */
class ProfilerUploadTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path temp;

	private final IntakeServer agent = new IntakeServer();

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void everyWindowReachesTheAgentAndStatusCountsThem() {
		Profiler profiler = new Profiler(ProfilerSettings.builder()
			.service("upload-tests")
			.uploadPeriod(Duration.ofSeconds(1))
			.agentUrl(this.agent.url())
			.tempDirectory(this.temp)
			.build());
		profiler.start(false, false);
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> uploadTags().size() >= 2);
			// The agent holds a body before it answers, and the upload counts as sent
			// once answered.
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(profiler.status().upload().sent()).isGreaterThanOrEqualTo(2));
			assertThat(profiler.status().exporters()).contains("datadog");
		}
		finally {
			profiler.stop(true);
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> uploadTags().stream().anyMatch((tags) -> tags.contains("snapshot:on_shutdown")));
		assertThat(uploadTags()).allMatch((tags) -> tags.contains("service:upload-tests"));
		assertThat(uploadTags().stream().filter((tags) -> tags.contains("snapshot:periodic")).count())
			.isGreaterThanOrEqualTo(2);
	}

	/** The {@code tags_profiler} of every upload's event document, in arrival order. */
	private List<List<String>> uploadTags() {
		return this.agent.requests("/profiling/v1/input")
			.stream()
			.map((upload) -> JSON.readTree(upload.parts().get(0).content()).get("tags_profiler").asString())
			.map((tags) -> List.of(tags.split(",")))
			.toList();
	}

}
