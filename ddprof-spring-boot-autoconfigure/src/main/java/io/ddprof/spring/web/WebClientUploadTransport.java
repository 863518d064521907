package io.ddprof.spring.web;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadTransport;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends profile uploads through a {@link WebClient} made from the application's
 * {@link WebClient.Builder}, so that its TLS, proxy and codec settings apply. The upload itself is
 * not observed: a profiler's own traffic has no place in the application's traces. Requests are
 * built by the core ({@link UploadRequest}) and only encoded here, with Spring's
 * {@link MultipartBodyBuilder} for multipart requests and a resource for single bodies. Called on the core's upload thread, never on an event loop.
 */
public final class WebClientUploadTransport implements UploadTransport {

	private final WebClient webClient;

	private final Duration timeout;

	/** A transport on a copy of {@code builder} whose requests time out after {@code timeout}. */
	public WebClientUploadTransport(WebClient.Builder builder, Duration timeout) {
		this.webClient = builder.clone().observationRegistry(ObservationRegistry.NOOP).build();
		this.timeout = timeout;
	}

	@Override
	public int send(UploadRequest request) throws IOException {
		return call(request, (response) -> response.releaseBody().thenReturn(response.statusCode().value()));
	}

	@Override
	public Answer exchange(UploadRequest request) throws IOException {
		return call(request, (response) -> response.bodyToMono(byte[].class)
			// An answer too large for the codecs says nothing ddprof reads: keep the status.
			.onErrorResume(DataBufferLimitException.class, (ex) -> Mono.empty())
			.defaultIfEmpty(new byte[0])
			.map((body) -> new Answer(response.statusCode().value(),
					(body.length > Answer.MAX_BODY) ? Arrays.copyOf(body, Answer.MAX_BODY) : body)));
	}

	private <T> T call(UploadRequest request, Function<ClientResponse, Mono<T>> answer) throws IOException {
		try {
			WebClient.RequestBodySpec spec = this.webClient.post()
				.uri(request.uri())
				.headers((headers) -> request.headers().forEach(headers::set));
			WebClient.RequestHeadersSpec<?> withBody = request.multipart()
					? spec.contentType(MediaType.MULTIPART_FORM_DATA)
						.body(BodyInserters.fromMultipartData(multipart(request)))
					: spec.contentType(MediaType.parseMediaType(request.contentType()))
						.body(BodyInserters.fromResource(resource(request.body())));
			T result = withBody.exchangeToMono(answer).timeout(this.timeout).block();
			if (result == null) {
				throw new IOException("no answer from " + request.uri());
			}
			return result;
		}
		catch (RuntimeException ex) {
			throw asIOException(ex, request.uri());
		}
	}

	private static MultiValueMap<String, HttpEntity<?>> multipart(UploadRequest request) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		for (UploadRequest.Part part : request.parts()) {
			body.part(part.name(), resource(part.body())).filename(part.filename())
				.contentType(MediaType.parseMediaType(part.contentType()));
		}
		return body.build();
	}

	@Override
	public boolean supports(URI uri) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		return scheme.equals("http") || scheme.equals("https");
	}

	private static Resource resource(UploadRequest.Body body) {
		if (body instanceof UploadRequest.FileBody file) {
			return new FileSystemResource(file.path());
		}
		return new ByteArrayResource(((UploadRequest.Bytes) body).data());
	}

	private IOException asIOException(RuntimeException ex, URI uri) {
		Throwable cause = Exceptions.unwrap(ex);
		if (cause instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
			Thread.currentThread().interrupt();
			return new InterruptedIOException("upload to " + uri + " interrupted");
		}
		if (cause instanceof TimeoutException) {
			return new IOException("no answer from " + uri + " within " + this.timeout.toMillis() + " ms", cause);
		}
		if (cause instanceof IOException io) {
			return io;
		}
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return new IOException(root.getClass().getSimpleName() + ": " + root.getMessage(), cause);
	}

}
