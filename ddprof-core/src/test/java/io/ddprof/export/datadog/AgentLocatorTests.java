package io.ddprof.export.datadog;

import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddprof.Profiler;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.export.upload.JdkHttpUploadTransport;
import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadStatus;
import io.ddprof.export.upload.UploadTransport;
import io.ddprof.format.RecordedWindows;
import io.ddprof.problem.ProblemLog;
import io.ddprof.window.RecordedWindow;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where uploads go when nothing or something says where the agent is, and why, as status
 * shows it.
 */
class AgentLocatorTests {

	@TempDir
	Path temp;

	@Test
	void anAgentUrlSetWinsOverTheDefaultSocket() throws Exception {
		AgentLocator locator = new AgentLocator(socket());
		AgentDestination destination = locator.locate(agent("http://agent.internal:8126"), (uri) -> true);

		assertThat(destination.url()).isEqualTo(URI.create("http://agent.internal:8126"));
		assertThat(destination.reason()).contains("ddprof.agent.url").contains("is set");
	}

	@Test
	void withNoAgentUrlTheAgentsSocketIsUsedWhenItExists() throws Exception {
		Path socket = socket();
		AgentDestination destination = new AgentLocator(socket).locate(agent(null), (uri) -> true);

		assertThat(destination.url()).isEqualTo(URI.create("unix://" + socket));
		assertThat(destination.socket()).isEqualTo(socket);
		assertThat(destination.reason()).isEqualTo("no agent URL is set and the agent's socket " + socket + " exists");
	}

	@Test
	void withNoAgentUrlAndNoSocketUploadsGoToLocalhost() {
		Path socket = this.temp.resolve("apm.socket");
		AgentDestination destination = new AgentLocator(socket).locate(agent(null), (uri) -> true);

		assertThat(destination.url()).isEqualTo(URI.create("http://localhost:8126"));
		assertThat(destination.isSocket()).isFalse();
		assertThat(destination.reason()).isEqualTo("no agent URL is set and there is no agent socket at " + socket);
	}

	@Test
	void aTransportWithoutSocketsKeepsToLocalhostAndSaysWhy() throws Exception {
		Path socket = socket();
		AgentDestination destination = new AgentLocator(socket).locate(agent(null),
				new JdkHttpUploadTransport(Duration.ofSeconds(1))::supports);

		assertThat(destination.url()).isEqualTo(URI.create("http://localhost:8126"));
		assertThat(destination.reason()).contains(socket + " exists but this upload client cannot use sockets");
	}

	@Test
	void theExporterSendsToTheDefaultSocketAndItsStatusSaysWhy() throws Exception {
		Path socket = socket();
		List<UploadRequest> sent = new CopyOnWriteArrayList<>();
		// A transport of the test's own, standing for the starter's WebClient one: this
		// test is about where requests go.
		UploadTransport transport = (request) -> {
			sent.add(request);
			return 202;
		};
		ProfilerSettings settings = ProfilerSettings.builder()
			.service("orders")
			.tempDirectory(this.temp.resolve("tmp"))
			.build();
		DatadogExporter exporter = new DatadogExporter(settings, transport, new ProblemLog(), new AgentLocator(socket));
		try {
			Path jfr = RecordedWindows.asyncProfiler().copyFile(this.temp.resolve("window-1.jfr"));
			exporter.export(new RecordedWindow(1, Instant.parse("2026-11-25T13:39:41Z"),
					Instant.parse("2026-11-25T13:40:41Z"), "async-profiler", jfr, RecordedWindow.Snapshot.PERIODIC, 0));
			await().atMost(Duration.ofSeconds(30)).until(() -> exporter.status().sent() == 1);
		}
		finally {
			exporter.close(System.nanoTime() + Duration.ofSeconds(5).toNanos());
		}

		assertThat(exporter.status().destination()).isEqualTo(URI.create("unix://" + socket));
		assertThat(exporter.status().destinationReason()).contains("the agent's socket " + socket + " exists");
		assertThat(sent).singleElement().satisfies((request) -> {
			assertThat(request.socket()).isEqualTo(socket);
			assertThat(request.uri()).hasToString("http://localhost/profiling/v1/input");
		});
	}

	@Test
	void theProfilersStatusSaysWhereUploadsGoAndWhy() {
		Assumptions.assumeFalse(Files.exists(Path.of(AgentLocator.DEFAULT_SOCKET_PATH)),
				"a Datadog agent's socket is on this machine");
		Profiler profiler = new Profiler(ProfilerSettings.builder()
			.service("orders")
			.engine(io.ddprof.config.EngineChoice.JFR)
			.tempDirectory(this.temp.resolve("tmp"))
			.build());
		profiler.start(false, false);
		try {
			UploadStatus upload = profiler.status().upload();
			assertThat(upload.destination()).isEqualTo(URI.create("http://localhost:8126/profiling/v1/input"));
			assertThat(upload.destinationReason())
				.isEqualTo("no agent URL is set and there is no agent socket at /var/run/datadog/apm.socket");
		}
		finally {
			profiler.stop(false);
		}
	}

	/** A real Unix domain socket file, as the agent leaves it. */
	private Path socket() throws Exception {
		Path socket = this.temp.resolve("apm.socket");
		try (ServerSocketChannel agent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			agent.bind(UnixDomainSocketAddress.of(socket));
		}
		return socket;
	}

	private static ProfilerSettings.Agent agent(String url) {
		return ProfilerSettings.builder().agentUrl(url).build().agent();
	}

}
