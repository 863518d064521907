package io.ddprof.export.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.ddprof.export.upload.UploadRequest.Body;
import io.ddprof.export.upload.UploadRequest.Bytes;
import io.ddprof.export.upload.UploadRequest.FileBody;
import io.ddprof.export.upload.UploadRequest.Part;

/**
 * Sends uploads with the JDK's {@link HttpClient} (plain core, no Spring): HTTP/1.1, the
 * multipart body encoded here, file parts and single bodies streamed from disk,
 * {@code ddprof.upload.timeout} as the connect timeout and as the time allowed for the
 * answer.
 */
public final class JdkHttpUploadTransport implements UploadTransport {

	private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

	private final HttpClient client;

	private final Duration timeout;

	private final SecureRandom random = new SecureRandom();

	/**
	 * A transport whose connection and whole request each get at most {@code timeout}.
	 */
	public JdkHttpUploadTransport(Duration timeout) {
		this.timeout = timeout;
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	@Override
	public boolean supports(URI uri) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		return scheme.equals("http") || scheme.equals("https");
	}

	@Override
	public int send(UploadRequest request) throws IOException {
		try {
			return this.client.send(build(request), BodyHandlers.discarding()).statusCode();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("upload interrupted");
		}
	}

	@Override
	public Answer exchange(UploadRequest request) throws IOException {
		try {
			HttpResponse<InputStream> response = this.client.send(build(request), BodyHandlers.ofInputStream());
			try (InputStream body = response.body()) {
				return new Answer(response.statusCode(), body.readNBytes(Answer.MAX_BODY));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("upload interrupted");
		}
	}

	private HttpRequest build(UploadRequest request) throws IOException {
		HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(this.timeout);
		if (request.multipart()) {
			String boundary = "ddprof-" + HexFormat.of().formatHex(randomBytes());
			builder.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(multipart(boundary, request.parts()));
		}
		else {
			builder.header("Content-Type", request.contentType()).POST(publisher(request.body()));
		}
		request.headers().forEach(builder::header);
		return builder.build();
	}

	private byte[] randomBytes() {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		return bytes;
	}

	/**
	 * The {@code multipart/form-data} body (RFC 7578): each part's headers and content
	 * after a boundary line, then the closing boundary. File parts are published straight
	 * from disk, so the length is known and nothing large is copied onto the heap.
	 */
	static BodyPublisher multipart(String boundary, List<Part> parts) throws IOException {
		List<BodyPublisher> pieces = new ArrayList<>();
		for (Part part : parts) {
			String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name()
					+ "\"; filename=\"" + part.filename() + "\"\r\nContent-Type: " + part.contentType() + "\r\n\r\n";
			pieces.add(BodyPublishers.ofByteArray(head.getBytes(StandardCharsets.UTF_8)));
			pieces.add(publisher(part.body()));
			pieces.add(BodyPublishers.ofByteArray(CRLF));
		}
		pieces.add(BodyPublishers.ofByteArray(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
		return BodyPublishers.concat(pieces.toArray(BodyPublisher[]::new));
	}

	private static BodyPublisher publisher(Body body) throws IOException {
		if (body instanceof FileBody file) {
			return BodyPublishers.ofFile(file.path());
		}
		return BodyPublishers.ofByteArray(((Bytes) body).data());
	}

}
