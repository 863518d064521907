package io.ddprof.export.upload;

import java.io.IOException;
import java.net.URI;

/**
 * Sends one built {@link UploadRequest} over HTTP. The plain-core implementation is
 * {@link JdkHttpUploadTransport}; the Spring module plugs in one on {@code WebClient}.
 * Called from the upload queue's single sender thread, one request at a time.
 */
@FunctionalInterface
public interface UploadTransport {

	/**
	 * Sends the request (multipart/form-data with the parts in order, or its single body)
	 * and waits for the answer.
	 * @return the HTTP status code of the answer
	 * @throws IOException when the request cannot be sent, no answer arrives within the
	 * transport's timeout, or the calling thread is interrupted (as an
	 * {@link java.io.InterruptedIOException}, with the interrupt flag set again)
	 */
	int send(UploadRequest request) throws IOException;

	/**
	 * Sends the request like {@link #send} and returns the answer's status with the first
	 * {@link Answer#MAX_BODY} bytes of its body, for destinations that say in a
	 * successful answer what they refused (OTLP's partial success). A transport that
	 * cannot read bodies answers with an empty one.
	 * @throws IOException as {@link #send} does
	 */
	default Answer exchange(UploadRequest request) throws IOException {
		return new Answer(send(request), new byte[0]);
	}

	/**
	 * Whether this transport can reach {@code uri}; the JDK client, for one, cannot talk
	 * to a {@code unix:} socket. An exporter whose destination is not supported says so
	 * once and drops its windows instead of retrying them.
	 */
	default boolean supports(URI uri) {
		return true;
	}

	/**
	 * What the destination answered.
	 *
	 * @param status the HTTP status code
	 * @param body the start of the answer's body (at most {@link #MAX_BODY} bytes),
	 * possibly empty
	 */
	record Answer(int status, byte[] body) {

		/**
		 * How much of an answer's body a transport keeps: enough for any error message.
		 */
		public static final int MAX_BODY = 64 * 1024;

	}

}
