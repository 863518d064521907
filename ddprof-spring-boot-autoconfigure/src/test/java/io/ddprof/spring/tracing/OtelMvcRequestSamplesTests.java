package io.ddprof.spring.tracing;

/** Request samples with the OpenTelemetry bridge on Spring MVC (Tomcat). */
class OtelMvcRequestSamplesTests extends AbstractRequestSamplesTests {

	OtelMvcRequestSamplesTests() {
		super(Bridge.OTEL, Web.MVC);
	}

}
