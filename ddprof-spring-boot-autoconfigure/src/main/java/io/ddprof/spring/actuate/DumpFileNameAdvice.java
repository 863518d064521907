package io.ddprof.spring.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Names the profiler endpoint's downloads in Spring MVC with a
 * {@code Content-Disposition} header
 * ({@code attachment; filename="orders-20261125T153000Z-cpu.pprof"}; {@code inline} for
 * the flame graph, which a browser shows). Boot's endpoint model carries a status and a
 * content type but no headers, so the name travels with the body
 * ({@link DumpFile#getFilename()}) and is written here, just before the body. Only the
 * responses of actuator endpoints are looked at, and of those only the profiler
 * endpoint's downloads are changed; every other response is left alone.
 */
@ControllerAdvice
public class DumpFileNameAdvice implements ResponseBodyAdvice<Object> {

	/**
	 * The package of Boot's Spring MVC handler of {@code @Endpoint} operations (Boot 4.0
	 * and 4.1).
	 */
	static final String ENDPOINT_HANDLER_PACKAGE = "org.springframework.boot.webmvc.actuate.endpoint.web";

	/**
	 * Whether the response is an actuator endpoint's. Every endpoint operation goes
	 * through the one handler method of Boot's, so the profiler endpoint's downloads are
	 * told apart by their body, a {@link DumpFile}, which nothing else returns.
	 */
	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return ENDPOINT_HANDLER_PACKAGE.equals(returnType.getContainingClass().getPackageName());
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (body instanceof DumpFile file) {
			ContentDisposition.Builder disposition = file.inline() ? ContentDisposition.inline()
					: ContentDisposition.attachment();
			response.getHeaders().setContentDisposition(disposition.filename(file.getFilename()).build());
		}
		return body;
	}

}
