package io.ddprof.spring.tracing;

/** Request samples with the Brave bridge on Spring MVC (Tomcat). */
class BraveMvcRequestSamplesTests extends AbstractRequestSamplesTests {

	BraveMvcRequestSamplesTests() {
		super(Bridge.BRAVE, Web.MVC);
	}

}
