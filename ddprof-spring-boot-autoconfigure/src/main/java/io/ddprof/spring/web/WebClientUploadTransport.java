package io.ddprof.spring.web;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadTransport;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.util.ClassUtils;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends profile uploads with a {@link WebClient} on Reactor Netty: over TCP, or over the
 * Datadog agent's Unix domain socket ({@code unix:///var/run/datadog/apm.socket}) with
 * Netty's native epoll transport. Without Reactor Netty on the class path (excluded from
 * the starter), TCP uploads go through the JDK's {@link HttpClient} and a {@code unix:}
 * URL is not supported. The client is ddprof's own by default: the application's
 * {@link WebClient.Builder} beans, their filters and customizers (load balancing,
 * logging, authentication) never see a profile upload; proxies set with the standard
 * {@code http(s).proxyHost} system properties apply. Nor is the upload observed: a
 * profiler's own traffic has no place in the application's traces. Requests are built by
 * the core ({@link UploadRequest}) and only encoded here, with Spring's
 * {@link MultipartBodyBuilder} for multipart requests (Datadog) and a resource for single
 * bodies (OTLP, Pyroscope). Called on the core's upload thread, never on an event loop.
 */
public final class WebClientUploadTransport implements UploadTransport {

	private static final boolean REACTOR_NETTY_PRESENT = ClassUtils.isPresent("reactor.netty.http.client.HttpClient",
			WebClientUploadTransport.class.getClassLoader());

	private static final boolean NATIVE_EPOLL_PRESENT = ClassUtils.isPresent("io.netty.channel.epoll.Epoll",
			WebClientUploadTransport.class.getClassLoader());

	/**
	 * What the system says when connecting to a socket file that does not exist
	 * ({@code ENOENT}).
	 */
	private static final String SOCKET_MISSING = "No such file or directory";

	private final WebClient.Builder builder;

	private final WebClient webClient;

	private final Duration timeout;

	private volatile @Nullable SocketClient socketClient;

	/** ddprof's own client, whose requests time out after {@code timeout}. */
	public WebClientUploadTransport(Duration timeout) {
		this(WebClient.builder().clientConnector(tcp(timeout)), timeout);
	}

	/**
	 * A client made from a copy of {@code builder} (for an application that wants its own
	 * TLS or proxy settings on uploads: declare an {@code UploadTransport} bean with it),
	 * whose requests time out after {@code timeout}. Uploads over a socket keep the
	 * builder's codecs and filters on a connector of their own.
	 */
	public WebClientUploadTransport(WebClient.Builder builder, Duration timeout) {
		this.builder = builder.clone().observationRegistry(ObservationRegistry.NOOP);
		this.webClient = this.builder.clone().build();
		this.timeout = timeout;
	}

	@Override
	public int send(UploadRequest request) throws IOException {
		return call(request, (response) -> response.releaseBody().thenReturn(response.statusCode().value()));
	}

	@Override
	public Answer exchange(UploadRequest request) throws IOException {
		return call(request, (response) -> response.bodyToMono(byte[].class)
			// An answer too large for the codecs says nothing ddprof reads: keep the
			// status.
			.onErrorResume(DataBufferLimitException.class, (ex) -> Mono.empty())
			.defaultIfEmpty(new byte[0])
			.map((body) -> new Answer(response.statusCode().value(),
					(body.length > Answer.MAX_BODY) ? Arrays.copyOf(body, Answer.MAX_BODY) : body)));
	}

	private <T> T call(UploadRequest request, Function<ClientResponse, Mono<T>> answer) throws IOException {
		boolean socket = request.socket() != null;
		WebClient client = socket ? socketClient(request.socket()) : this.webClient;
		// Reactor Netty takes the address from an absolute URI: over the socket only the
		// path goes
		// to it, and the Host header is the request URI's, as the agent expects.
		URI uri = socket ? URI.create(request.uri().getRawPath()) : request.uri();
		try {
			WebClient.RequestBodySpec spec = client.post().uri(uri).headers((headers) -> {
				if (socket) {
					headers.set(HttpHeaders.HOST, request.uri().getHost());
				}
				request.headers().forEach(headers::set);
			});
			WebClient.RequestHeadersSpec<?> withBody = request.multipart()
					? spec.contentType(MediaType.MULTIPART_FORM_DATA)
						.body(BodyInserters.fromMultipartData(multipart(request)))
					: spec.contentType(MediaType.parseMediaType(request.contentType()))
						.body(BodyInserters.fromResource(resource(request.body())));
			T result = withBody.exchangeToMono(answer).timeout(this.timeout).block();
			if (result == null) {
				throw new IOException("no answer from " + where(request));
			}
			return result;
		}
		catch (RuntimeException ex) {
			throw asIOException(ex, request);
		}
	}

	private static MultiValueMap<String, HttpEntity<?>> multipart(UploadRequest request) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		for (UploadRequest.Part part : request.parts()) {
			body.part(part.name(), resource(part.body()))
				.filename(part.filename())
				.contentType(MediaType.parseMediaType(part.contentType()));
		}
		return body.build();
	}

	/**
	 * HTTP and HTTPS; a {@code unix:} socket where Reactor Netty and Netty's native epoll
	 * transport are on the class path and the latter loads (Linux on x86_64 or aarch64).
	 */
	@Override
	public boolean supports(URI uri) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (scheme.equals("unix")) {
			// Named in full and only after the check: the class may be missing from the
			// class path.
			return REACTOR_NETTY_PRESENT && NATIVE_EPOLL_PRESENT && io.netty.channel.epoll.Epoll.isAvailable();
		}
		return scheme.equals("http") || scheme.equals("https");
	}

	private static ClientHttpConnector tcp(Duration timeout) {
		if (REACTOR_NETTY_PRESENT) {
			return ReactorNettyConnectors.tcp(timeout);
		}
		// HTTP/1.1 as on Reactor Netty: the JDK's default, HTTP/2, would ask every agent
		// to upgrade.
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.proxy(ProxySelector.getDefault())
			.connectTimeout(timeout)
			.build();
		return new JdkClientHttpConnector(client);
	}

	// One socket per exporter: the client is made once, on the first upload.
	private WebClient socketClient(Path socket) {
		SocketClient current = this.socketClient;
		if (current == null || !current.socket().equals(socket)) {
			current = new SocketClient(socket,
					this.builder.clone().clientConnector(ReactorNettyConnectors.socket(socket, this.timeout)).build());
			this.socketClient = current;
		}
		return current.client();
	}

	private static Resource resource(UploadRequest.Body body) {
		if (body instanceof UploadRequest.FileBody file) {
			return new FileSystemResource(file.path());
		}
		return new ByteArrayResource(((UploadRequest.Bytes) body).data());
	}

	private static String where(UploadRequest request) {
		return (request.socket() != null) ? "the socket " + request.socket() : request.uri().toString();
	}

	private IOException asIOException(RuntimeException ex, UploadRequest request) {
		Throwable cause = Exceptions.unwrap(ex);
		if (cause instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
			Thread.currentThread().interrupt();
			return new InterruptedIOException("upload to " + where(request) + " interrupted");
		}
		if (cause instanceof TimeoutException) {
			return new IOException("no answer from " + where(request) + " within " + this.timeout.toMillis() + " ms",
					cause);
		}
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (request.socket() != null && root instanceof IOException) {
			String problem = socketProblem((IOException) root, request.socket());
			if (problem != null) {
				ConnectException connect = new ConnectException(problem);
				connect.initCause(cause);
				return connect;
			}
		}
		if (cause instanceof IOException io) {
			return io;
		}
		return new IOException(root.getClass().getSimpleName() + ": " + root.getMessage(), cause);
	}

	// Netty's native errors name the system call, not what the user has to check.
	private static @Nullable String socketProblem(IOException ex, Path socket) {
		if (ex instanceof FileNotFoundException || String.valueOf(ex.getMessage()).contains(SOCKET_MISSING)) {
			return "no socket at " + socket + "; is the Datadog agent running with its APM socket there?";
		}
		if (ex instanceof ConnectException) {
			return "nothing listens on the socket " + socket + " (connection refused); is the Datadog agent running?";
		}
		return null;
	}

	private record SocketClient(Path socket, WebClient client) {
	}

}
