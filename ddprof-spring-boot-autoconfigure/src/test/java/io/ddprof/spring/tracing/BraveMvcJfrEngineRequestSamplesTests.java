package io.ddprof.spring.tracing;

import io.ddprof.config.EngineChoice;

/**
 * Request samples with the Brave bridge on Spring MVC (Tomcat), recorded by the JDK
 * Flight Recorder engine (where async-profiler cannot load), whose span events need
 * intervals to begin and end in nested order on each thread.
 */
class BraveMvcJfrEngineRequestSamplesTests extends AbstractRequestSamplesTests {

	BraveMvcJfrEngineRequestSamplesTests() {
		super(Bridge.BRAVE, Web.MVC, EngineChoice.JFR);
	}

}
