package io.ddprof.spring.actuate;

import java.lang.reflect.Method;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.core.MethodParameter;
import org.springframework.http.converter.ResourceHttpMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DumpFileNameAdvice}: which responses it looks at (over HTTP, the
 * endpoint's downloads are named and another controller's file is not, see
 * {@link ProfilerEndpointTests}).
 */
class DumpFileNameAdviceTests {

	private final DumpFileNameAdvice advice = new DumpFileNameAdvice();

	@Test
	void supportsTheResponsesOfActuatorEndpoints() throws Exception {
		// The handler method of Boot's that every @Endpoint operation goes through in
		// Spring MVC.
		Class<?> handler = Class.forName(
				DumpFileNameAdvice.ENDPOINT_HANDLER_PACKAGE + ".AbstractWebMvcEndpointHandlerMapping$OperationHandler");
		Method handle = handler.getDeclaredMethod("handle", HttpServletRequest.class, Map.class);
		assertThat(this.advice.supports(new MethodParameter(handle, -1), ResourceHttpMessageConverter.class)).isTrue();
	}

	@Test
	void doesNotSupportTheResponsesOfOtherControllers() throws Exception {
		Method otherFile = OtherFileController.class.getDeclaredMethod("otherFile");
		assertThat(this.advice.supports(new MethodParameter(otherFile, -1), ResourceHttpMessageConverter.class))
			.isFalse();
		Method busy = BusyController.class.getDeclaredMethod("busy", long.class);
		assertThat(this.advice.supports(new MethodParameter(busy, -1), ResourceHttpMessageConverter.class)).isFalse();
	}

}
