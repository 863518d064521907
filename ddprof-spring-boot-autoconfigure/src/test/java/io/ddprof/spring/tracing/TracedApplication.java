package io.ddprof.spring.tracing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A traced service whose handler burns CPU in methods that tell, from a sample's stack
 * alone, which request and which part of it the sample belongs to: request {@code id}
 * burns under {@code id + 1} nested {@link #level} frames, in {@link #rootWork}, then
 * (when asked) in {@link #observationWork} inside a nested Observation and in
 * {@link #spanWork} inside a span made through the tracer. The answer names the ids the
 * handler saw in scope.
 */
final class TracedApplication {

	/** The endpoint every request is recorded under. */
	static final String ENDPOINT = "GET /burn/{id}";

	private TracedApplication() {
	}

	/** Handles one request on the current thread and answers what was in scope. */
	static String handle(Tracer tracer, ObservationRegistry registry, int id, long millis, boolean nested) {
		Span root = tracer.currentSpan();
		if (root == null) {
			throw new IllegalStateException("no span in scope in the handler");
		}
		long threadId = Thread.currentThread().getId();
		level(id, () -> rootWork(millis));
		String observationSpanId = "0";
		String tracerSpanId = "0";
		if (nested) {
			String[] seen = new String[1];
			Observation.createNotStarted("nested-work", registry).observe(() -> {
				seen[0] = tracer.currentSpan().context().spanId();
				level(id, () -> observationWork(millis / 2));
			});
			observationSpanId = seen[0];
			Span span = tracer.nextSpan().name("tracer-work").start();
			try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
				level(id, () -> spanWork(millis / 2));
			}
			finally {
				span.end();
			}
			tracerSpanId = span.context().spanId();
		}
		return String.join(" ", root.context().traceId(), root.context().spanId(), Long.toString(threadId),
				observationSpanId, tracerSpanId);
	}

	/** Recursion that leaves {@code depth + 1} frames of itself on the stack. */
	static void level(int depth, Runnable work) {
		if (depth > 0) {
			level(depth - 1, work);
		}
		else {
			work.run();
		}
	}

	static void rootWork(long millis) {
		spin(millis);
	}

	static void observationWork(long millis) {
		spin(millis);
	}

	static void spanWork(long millis) {
		spin(millis);
	}

	static void outsideWork(long millis) {
		spin(millis);
	}

	/** Burns {@code millis} of this thread's CPU time, however busy the machine is. */
	private static double spin(long millis) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
		double sink = 0;
		while (threads.getCurrentThreadCpuTime() < end) {
			for (int i = 0; i < 1000; i++) {
				sink += Math.sqrt(sink + i);
			}
		}
		return sink;
	}

	/** The Spring MVC (Tomcat) variant. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(MvcController.class)
	static class Mvc {

	}

	/** The WebFlux (Netty) variant, burning after a hop to another thread. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(WebFluxController.class)
	static class WebFlux {

	}

	@RestController
	static class MvcController {

		private final Tracer tracer;

		private final ObservationRegistry registry;

		MvcController(Tracer tracer, ObservationRegistry registry) {
			this.tracer = tracer;
			this.registry = registry;
		}

		@GetMapping("/burn/{id}")
		String burn(@PathVariable int id, @RequestParam long millis, @RequestParam boolean nested) {
			return handle(this.tracer, this.registry, id, millis, nested);
		}

	}

	@RestController
	static class WebFluxController {

		private final Tracer tracer;

		private final ObservationRegistry registry;

		WebFluxController(Tracer tracer, ObservationRegistry registry) {
			this.tracer = tracer;
			this.registry = registry;
		}

		@GetMapping("/burn/{id}")
		Mono<String> burn(@PathVariable int id, @RequestParam long millis, @RequestParam boolean nested) {
			return Mono.just(id)
				.publishOn(Schedulers.boundedElastic())
				.map((requestId) -> handle(this.tracer, this.registry, requestId, millis, nested));
		}

	}

}
