package io.ddprof.spring.tracing;

/**
 * Request samples with the OpenTelemetry bridge on WebFlux (Netty), burning after a
 * thread hop.
 */
class OtelWebFluxRequestSamplesTests extends AbstractRequestSamplesTests {

	OtelWebFluxRequestSamplesTests() {
		super(Bridge.OTEL, Web.WEBFLUX);
	}

}
