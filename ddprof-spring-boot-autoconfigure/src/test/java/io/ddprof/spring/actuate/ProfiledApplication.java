package io.ddprof.spring.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.ddprof.Profiler;
import io.ddprof.ProfilerStatus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spring Boot web application profiled by ddprof, with {@code /actuator/profiler}
 * exposed, on a random port, and an HTTP client for it.
 */
final class ProfiledApplication implements AutoCloseable {

	/** The API key the application is given; no answer may show it. */
	static final String API_KEY = "0123456789abcdef-not-a-real-key";

	private static final Duration HANG_GUARD = Duration.ofMinutes(2);

	private final ConfigurableApplicationContext context;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

	private final String base;

	private final String authorization;

	private ProfiledApplication(ConfigurableApplicationContext context, String authorization) {
		this.context = context;
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		this.base = "http://127.0.0.1:" + port;
		this.authorization = authorization;
	}

	/**
	 * Starts the application, with the actuator open to anyone (a filter chain of the
	 * application's own, as a user who exposes it would write) unless {@code secured}.
	 * @param arguments {@code --key=value} arguments, overriding the defaults
	 */
	static ProfiledApplication start(Path temp, boolean secured, String... arguments) {
		List<Class<?>> sources = new ArrayList<>(List.of(Application.class));
		if (!secured) {
			sources.add(OpenActuator.class);
		}
		SpringApplication application = new SpringApplication(sources.toArray(Class<?>[]::new));
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		properties.put("spring.application.name", "orders");
		properties.put("management.endpoints.web.exposure.include", "profiler");
		properties.put("ddprof.upload.enabled", "false");
		properties.put("ddprof.upload.period", "2s");
		properties.put("ddprof.env", "test");
		properties.put("ddprof.version", "1.2.3");
		properties.put("ddprof.tags.team", "backend");
		properties.put("ddprof.api-key", API_KEY);
		properties.put("ddprof.temp-directory", temp.resolve("work").toString());
		properties.put("spring.security.user.name", "ops");
		properties.put("spring.security.user.password", "ops-password");
		for (String argument : arguments) {
			int equals = argument.indexOf('=');
			properties.put(argument.substring(2, equals), argument.substring(equals + 1));
		}
		String[] args = properties.entrySet()
			.stream()
			.map((property) -> "--" + property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
		return new ProfiledApplication(application.run(args), null);
	}

	/** The same application, with requests sent as an authenticated user. */
	ProfiledApplication authenticated(String user, String password) {
		String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
		return new ProfiledApplication(this.context, "Basic " + credentials);
	}

	Profiler profiler() {
		return this.context.getBean(Profiler.class);
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
		return send(request(path).GET().build());
	}

	HttpResponse<byte[]> post(String path, String json) throws IOException, InterruptedException {
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	String url(String path) {
		return this.base + path;
	}

	/**
	 * Makes a request thread spend {@code millis} of CPU in
	 * {@link BusyController#HOT_METHOD}.
	 */
	void busy(long millis) throws IOException, InterruptedException {
		assertThat(get("/busy?millis=" + millis).statusCode()).isEqualTo(200);
	}

	/**
	 * Waits (at most a generous hang guard) until the profiler's status satisfies
	 * {@code condition}.
	 */
	ProfilerStatus awaitStatus(Predicate<ProfilerStatus> condition) throws InterruptedException {
		long deadline = System.nanoTime() + HANG_GUARD.toNanos();
		ProfilerStatus status = profiler().status();
		while (!condition.test(status) && System.nanoTime() < deadline) {
			Thread.sleep(50);
			status = profiler().status();
		}
		assertThat(condition).as("status never reached the expected state: %s", status).accepts(status);
		return status;
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path)).timeout(HANG_GUARD);
		return (this.authorization != null) ? builder.header("Authorization", this.authorization) : builder;
	}

	private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
		return this.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * The application: Boot's auto-configuration, ddprof's among it, a busy endpoint and
	 * a controller of its own that sends a file.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ BusyController.class, OtherFileController.class })
	static class Application {

	}

	/**
	 * Opens the actuator to anyone, as an application that exposes it on a private
	 * network does.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OpenActuator {

		@Bean
		SecurityFilterChain openActuator(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

	}

}
