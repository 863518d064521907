package io.ddprof.spring.actuate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.ddprof.Profiler;
import io.ddprof.ProfilerStatus;
import io.ddprof.window.RecordedWindow;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.util.MimeType;

/**
 * {@code /actuator/profiler}: the profiler's status ({@code GET}), its recent profiles as
 * JFR, pprof, collapsed stacks or an HTML flame graph ({@code GET
 * /actuator/profiler/{format}}), and cut, start and stop ({@code POST} with
 * {@code {"action": "cut"}}). A web endpoint, as Boot's heap dump is: its downloads mean
 * nothing over JMX. Exposed only when the application lists it in
 * {@code management.endpoints.web.exposure.include}; its write operations are off unless
 * the application grants them ({@code management.endpoint.profiler.access=unrestricted}),
 * and its downloads change nothing (they copy the current window rather than cut it).
 */
@WebEndpoint(id = "profiler", defaultAccess = Access.READ_ONLY)
public class ProfilerEndpoint {

	private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final MimeType TEXT_PLAIN = new MimeType("text", "plain", StandardCharsets.UTF_8);

	/** The longest a {@code cut} waits for the window to be cut and exported. */
	static final Duration CUT_TIMEOUT = Duration.ofSeconds(30);

	private final Profiler profiler;

	private final ProfileDumper dumper;

	/**
	 * One dump at a time: each reads whole windows and may take seconds of CPU.
	 * Package-private so that a test can hold it as a dump in progress would.
	 */
	final Semaphore dumping = new Semaphore(1);

	/** The endpoint of the given profiler. */
	public ProfilerEndpoint(Profiler profiler) {
		this.profiler = profiler;
		this.dumper = new ProfileDumper(profiler);
	}

	/** The profiler's status. */
	@ReadOperation
	public ProfilerStatusDescriptor status() {
		return ProfilerStatusDescriptor.of(this.profiler.status());
	}

	/**
	 * The windows of the last {@code seconds} (whole windows, and the current one up to
	 * now, copied without being cut) in {@code format}: {@code jfr}, {@code pprof},
	 * {@code collapsed} or {@code flamegraph}. Answers 400 for a parameter not allowed,
	 * 429 while another dump runs and 503 when the profiler is not recording.
	 * @param format the format
	 * @param event the profile type: {@code cpu} (default), {@code wall}, {@code alloc},
	 * {@code live} or {@code lock}; all of them are in a JFR download
	 * @param seconds how far back, from 1 to 86400 (default 60)
	 * @param endpoint only samples taken in this endpoint, such as {@code GET
	 * /orders/{id}}
	 * @param traceId only samples taken in this trace (hex)
	 * @return the profile, with its content type
	 */
	@ReadOperation(produces = { "application/octet-stream", "text/plain", "text/html" })
	public WebEndpointResponse<Resource> dump(@Selector String format, @Nullable String event, @Nullable String seconds,
			@Nullable String endpoint, @Nullable String traceId) {
		DumpRequest request;
		try {
			request = DumpRequest.of(format, event, seconds, endpoint, traceId);
		}
		catch (IllegalArgumentException ex) {
			return message(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
		}
		ProfilerStatus status = this.profiler.status();
		if (status.state() != ProfilerStatus.State.RUNNING) {
			return notRecording(status);
		}
		if (!this.dumping.tryAcquire()) {
			return message(WebEndpointResponse.STATUS_TOO_MANY_REQUESTS,
					"Another profile download is being prepared; try again when it is done.");
		}
		try {
			ProfileDumper.Dump dump = this.dumper.dump(request);
			String name = fileName(request, Instant.now());
			return new WebEndpointResponse<>(new DumpFile(dump.file(), name, request.format() == DumpFormat.FLAMEGRAPH),
					WebEndpointResponse.STATUS_OK, request.format().contentType());
		}
		catch (ProfileDumper.Unavailable ex) {
			return message(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "No profile: " + ex.getMessage() + ".");
		}
		catch (IOException | RuntimeException ex) {
			this.profiler.problems().report("actuator.dump", "a profile download failed: " + ex);
			return message(WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR,
					"The profile could not be written: " + ex.getMessage());
		}
		finally {
			this.dumping.release();
		}
	}

	/**
	 * Cuts the current window now (it is exported like any other: history, local
	 * directory, upload), or starts or stops profiling.
	 * @param action {@code cut}, {@code start} or {@code stop}
	 * @return what was done and the status after it
	 */
	@WriteOperation
	public WebEndpointResponse<ProfilerActionResponse> cutStartOrStop(@Nullable String action) {
		if (action == null) {
			return refused(WebEndpointResponse.STATUS_BAD_REQUEST, null,
					"Missing action; send {\"action\": \"cut\"}, {\"action\": \"start\"} or {\"action\": \"stop\"}.");
		}
		return switch (action) {
			case "cut" -> cut();
			case "start" -> {
				this.profiler.start(false, false);
				yield done("start", null);
			}
			case "stop" -> {
				this.profiler.stop(true);
				yield done("stop", null);
			}
			default ->
				refused(WebEndpointResponse.STATUS_BAD_REQUEST, null, "Unknown action; allowed: cut, start, stop.");
		};
	}

	private WebEndpointResponse<ProfilerActionResponse> cut() {
		if (!this.profiler.isRunning()) {
			return refused(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "cut",
					"The profiler is not running; start it with {\"action\": \"start\"}.");
		}
		try {
			RecordedWindow cut = this.profiler.cutWindow().get(CUT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			if (cut == null) {
				return refused(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "cut",
						"Nothing is recording: " + this.profiler.status().engineReason());
			}
			return done("cut", cut);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return refused(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "cut", "Interrupted while cutting.");
		}
		catch (ExecutionException ex) {
			return refused(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "cut",
					"The window could not be cut: " + ex.getCause());
		}
		catch (TimeoutException ex) {
			return refused(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "cut",
					"The window was not exported within " + CUT_TIMEOUT.toSeconds() + "s.");
		}
	}

	private WebEndpointResponse<ProfilerActionResponse> done(String action, @Nullable RecordedWindow cut) {
		return new WebEndpointResponse<>(ProfilerActionResponse.done(action, cut, status()));
	}

	private static WebEndpointResponse<ProfilerActionResponse> refused(int httpStatus, @Nullable String action,
			String error) {
		return new WebEndpointResponse<>(ProfilerActionResponse.refused(action, error), httpStatus);
	}

	private static WebEndpointResponse<Resource> notRecording(ProfilerStatus status) {
		String hint = switch (status.state()) {
			case STOPPED -> " Start it with POST {\"action\": \"start\"}.";
			case STARTING -> " It waits for ddprof.start-delay to pass.";
			default -> "";
		};
		return message(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE,
				"The profiler is not recording (state " + status.state() + ": " + status.engineReason() + ")." + hint);
	}

	private static WebEndpointResponse<Resource> message(int httpStatus, String message) {
		return new WebEndpointResponse<>(new ByteArrayResource((message + "\n").getBytes(StandardCharsets.UTF_8)),
				httpStatus, TEXT_PLAIN);
	}

	private String fileName(DumpRequest request, Instant time) {
		String service = this.profiler.settings().service().replaceAll("[^A-Za-z0-9._-]", "_");
		String event = request.format().perEvent() ? "-" + request.event().id() : "";
		return service + "-" + FILE_TIME.format(time) + event + request.format().extension();
	}

}
