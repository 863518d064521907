package io.ddprof.export.datadog;

import java.io.IOException;
import java.net.URI;

/**
 * Sends one built {@link UploadRequest} over HTTP. The plain-core implementation is
 * {@link JdkHttpUploadTransport}; the Spring module plugs in one on {@code WebClient}. Called from
 * the upload queue's single sender thread, one request at a time.
 */
@FunctionalInterface
public interface UploadTransport {

	/**
	 * Sends the request (multipart/form-data, parts in order) and waits for the answer.
	 * @return the HTTP status code of the answer
	 * @throws IOException when the request cannot be sent, no answer arrives within the
	 * transport's timeout, or the calling thread is interrupted (as an
	 * {@link java.io.InterruptedIOException}, with the interrupt flag set again)
	 */
	int send(UploadRequest request) throws IOException;

	/**
	 * Whether this transport can reach {@code uri}; the JDK client, for one, cannot talk to a
	 * {@code unix:} socket. An exporter whose destination is not supported says so once and
	 * drops its windows instead of retrying them.
	 */
	default boolean supports(URI uri) {
		return true;
	}

}
