package io.ddprof.sample;

import java.net.URI;
import java.time.Duration;

import io.ddprof.testing.IntakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load driver reaches every endpoint and counts what fails, against a real loopback
 * server.
 */
class LoadDriverTests {

	// Every endpoint answers but /io, which fails as an overloaded service does.
	private final IntakeServer server = new IntakeServer()
		.otherwise((request) -> request.path().equals("/io") ? 503 : 200);

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void drivesEveryEndpointAndCountsFailuresPerEndpoint() throws InterruptedException {
		URI base = URI.create(this.server.url());
		LoadDriver.Report report = new LoadDriver(base, Duration.ofSeconds(1), 3).run();
		for (String endpoint : new String[] { "/cpu", "/alloc", "/leak", "/lock", "/chain" }) {
			assertThat(report.endpoint(endpoint).requests()).as(report.format()).isPositive();
			assertThat(report.endpoint(endpoint).errors()).as(report.format()).isZero();
		}
		LoadDriver.EndpointReport io = report.endpoint("/io");
		assertThat(io.requests()).isPositive();
		assertThat(io.errors()).isEqualTo(io.requests());
		assertThat(io.firstError()).contains("HTTP 503");
		assertThat(report.format()).contains("/io").contains("first error: java.io.IOException: HTTP 503");
		assertThat(this.server.requests()).extracting((request) -> request.uri().getQuery())
			.contains("millis=50", "mb=32");
	}

}
