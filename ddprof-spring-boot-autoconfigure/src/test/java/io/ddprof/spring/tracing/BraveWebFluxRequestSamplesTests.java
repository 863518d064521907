package io.ddprof.spring.tracing;

/**
 * Request samples with the Brave bridge on WebFlux (Netty), burning after a thread hop.
 */
class BraveWebFluxRequestSamplesTests extends AbstractRequestSamplesTests {

	BraveWebFluxRequestSamplesTests() {
		super(Bridge.BRAVE, Web.WEBFLUX);
	}

}
