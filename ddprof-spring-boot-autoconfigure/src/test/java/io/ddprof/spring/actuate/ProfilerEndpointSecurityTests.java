package io.ddprof.spring.actuate;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link ProfilerEndpoint} in an application with Spring Security and no filter
 * chain of its own: Boot protects it like every other actuator endpoint.
 */
class ProfilerEndpointSecurityTests {

	@TempDir
	Path temp;

	@Test
	void anonymousRequestsAreRefusedAndAuthenticatedOnesAnswered() throws Exception {
		try (ProfiledApplication anonymous = ProfiledApplication.start(this.temp, true,
				"--management.endpoint.profiler.access=unrestricted")) {
			assertThat(anonymous.get("/actuator/profiler").statusCode()).isEqualTo(401);
			assertThat(anonymous.get("/actuator/profiler/jfr").statusCode()).isEqualTo(401);
			assertThat(anonymous.post("/actuator/profiler", "{\"action\": \"stop\"}").statusCode()).isEqualTo(401);
			assertThat(anonymous.profiler().isRunning()).isTrue();
			ProfiledApplication wrongPassword = anonymous.authenticated("ops", "not-the-password");
			assertThat(wrongPassword.get("/actuator/profiler").statusCode()).isEqualTo(401);
			ProfiledApplication authenticated = anonymous.authenticated("ops", "ops-password");
			assertThat(authenticated.get("/actuator/profiler").statusCode()).isEqualTo(200);
			anonymous.awaitStatus((status) -> status.windowsRecorded() >= 1);
			assertThat(authenticated.get("/actuator/profiler/collapsed").statusCode()).isEqualTo(200);
			// Spring Security's default chain wants a CSRF token on writes, the
			// actuator's too: without
			// one even an authenticated POST is refused.
			assertThat(authenticated.post("/actuator/profiler", "{\"action\": \"stop\"}").statusCode()).isEqualTo(401);
			assertThat(anonymous.profiler().isRunning()).isTrue();
		}
	}

}
