package io.ddprof.spring.web;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import io.ddprof.export.upload.UploadRequest;
import io.ddprof.export.upload.UploadTransport;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.Exceptions;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends profile uploads through a {@link WebClient} made from the application's
 * {@link WebClient.Builder}, so that its TLS, proxy and codec settings apply. The upload itself is
 * not observed: a profiler's own traffic has no place in the application's traces. Requests are
 * built by the core ({@link UploadRequest}) and only encoded here, with Spring's
 * {@link MultipartBodyBuilder}. Called on the core's upload thread, never on an event loop.
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
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		for (UploadRequest.Part part : request.parts()) {
			body.part(part.name(), resource(part)).filename(part.filename())
				.contentType(MediaType.parseMediaType(part.contentType()));
		}
		try {
			Integer status = this.webClient.post()
				.uri(request.uri())
				.headers((headers) -> request.headers().forEach(headers::set))
				.contentType(MediaType.MULTIPART_FORM_DATA)
				.body(BodyInserters.fromMultipartData(body.build()))
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
				.timeout(this.timeout)
				.block();
			if (status == null) {
				throw new IOException("no answer from " + request.uri());
			}
			return status;
		}
		catch (RuntimeException ex) {
			throw asIOException(ex, request.uri());
		}
	}

	@Override
	public boolean supports(URI uri) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		return scheme.equals("http") || scheme.equals("https");
	}

	private static Resource resource(UploadRequest.Part part) {
		if (part.body() instanceof UploadRequest.FileBody file) {
			return new FileSystemResource(file.path());
		}
		return new ByteArrayResource(((UploadRequest.Bytes) part.body()).data());
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
