package io.ddprof.spring.tracing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.ddprof.Profiler;
import io.ddprof.config.ProfilerSettings;
import io.ddprof.context.SpanTag;
import io.ddprof.problem.ProblemLog;
import io.ddprof.spring.tracing.RecordingSpanSink.Interval;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracing bridge wired by Boot's tracing auto-configuration and ours into a real
 * tracer, with the same scenarios for each tracer bridge: what reaches the profiler for
 * spans made through the tracer, Observations, Reactor-style scope propagation and server
 * requests. Only the profiler's sink is replaced, by one that records what it is told.
 */
abstract class AbstractTracerBridgeTests {

	private final RecordingSpanSink sink = new RecordingSpanSink();

	private final ApplicationContextRunner runner;

	AbstractTracerBridgeTests(AutoConfigurations tracerAutoConfigurations) {
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					MicrometerTracingAutoConfiguration.class, DdprofTracingAutoConfiguration.class))
			.withConfiguration(tracerAutoConfigurations)
			.withPropertyValues("management.tracing.sampling.probability=1.0")
			.withBean(Profiler.class, () -> new Profiler(ProfilerSettings.builder().build()));
	}

	/** The runner, for bridges that need more set up. */
	ApplicationContextRunner runner() {
		return this.runner;
	}

	abstract ApplicationContextRunner prepare(ApplicationContextRunner runner);

	private void run(ContextConsumer<AssertableApplicationContext> consumer) {
		prepare(this.runner).run((context) -> {
			assertThat(context).hasNotFailed();
			// Connected to the (stopped) profiler on start-up; record into the test's
			// sink instead.
			context.getBean(SpanScopes.class).connect(this.sink, new ProblemLog());
			consumer.accept(context);
		});
	}

	@Test
	void aSpanMadeThroughTheTracerIsRecordedWithItsIds() {
		run((context) -> {
			Tracer tracer = context.getBean(Tracer.class);
			Span span = tracer.nextSpan().name("direct").start();
			try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
				assertThat(this.sink.intervals()).isEmpty();
			}
			finally {
				span.end();
			}
			long spanId = id(span);
			Interval interval = only(this.sink.intervals(spanId));
			assertThat(interval.tag()).isEqualTo(new SpanTag(span.context().traceId(), spanId, spanId));
			assertThat(interval.threadId()).isEqualTo(Thread.currentThread().getId());
		});
	}

	@Test
	void anObservationsScopeSeenByBothHooksIsRecordedOnce() {
		run((context) -> {
			Observation observation = Observation.start("work", context.getBean(ObservationRegistry.class));
			try (Observation.Scope scope = observation.openScope()) {
				assertThat(this.sink.intervals()).isEmpty();
			}
			observation.stop();
			assertThat(this.sink.intervals(id(observation))).hasSize(1);
			assertThat(this.sink.intervals()).hasSize(1);
		});
	}

	@Test
	void nestedSpansCarryTheLocalRootOfTheirTrace() {
		run((context) -> {
			Tracer tracer = context.getBean(Tracer.class);
			Observation root = Observation.start("root", context.getBean(ObservationRegistry.class));
			Span child;
			Span grandchild;
			try (Observation.Scope scope = root.openScope()) {
				child = tracer.nextSpan().name("child").start();
				try (Tracer.SpanInScope inChild = tracer.withSpan(child)) {
					grandchild = tracer.nextSpan().name("grandchild").start();
					try (Tracer.SpanInScope inGrandchild = tracer.withSpan(grandchild)) {
						assertThat(this.sink.intervals()).isEmpty();
					}
					grandchild.end();
				}
				child.end();
			}
			root.stop();
			long rootId = id(root);
			assertThat(this.sink.intervals()).hasSize(3)
				.allSatisfy((interval) -> assertThat(interval.tag().localRootSpanId()).isEqualTo(rootId));
			Interval outer = only(this.sink.intervals(rootId));
			Interval inner = only(this.sink.intervals(id(grandchild)));
			assertThat(outer.contains(only(this.sink.intervals(id(child))))).isTrue();
			assertThat(outer.contains(inner)).isTrue();
		});
	}

	@Test
	void clearingTheCurrentSpanHidesTheSpanBeneath() {
		run((context) -> {
			Tracer tracer = context.getBean(Tracer.class);
			Span span = tracer.nextSpan().name("outer").start();
			long clearedAt;
			try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
				try (Tracer.SpanInScope cleared = tracer.withSpan(null)) {
					assertThat(tracer.currentSpan()).isNull();
					clearedAt = this.sink.begin();
				}
			}
			span.end();
			List<Interval> intervals = this.sink.intervals(id(span));
			assertThat(intervals).hasSize(2);
			assertThat(intervals.get(0).end()).isLessThan(clearedAt);
			assertThat(intervals.get(1).start()).isGreaterThan(clearedAt);
		});
	}

	@Test
	void anObservationRestoredOnAnotherThreadIsRecordedThere() {
		run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			ObservationThreadLocalAccessor accessor = new ObservationThreadLocalAccessor(registry);
			Observation observation = Observation.start("hop", registry);
			// What Reactor's automatic context propagation does around a task on another
			// thread.
			AtomicReference<Throwable> failure = new AtomicReference<>();
			Thread worker = new Thread(() -> {
				try {
					accessor.setValue(observation);
					accessor.restore();
				}
				catch (Throwable ex) {
					failure.set(ex);
				}
			});
			worker.start();
			worker.join();
			observation.stop();
			assertThat(failure.get()).isNull();
			assertThat(only(this.sink.intervals(id(observation))).threadId()).isEqualTo(worker.getId());
			assertThat(this.sink.entered(worker)).isOne();
			assertThat(this.sink.left(worker)).isOne();
		});
	}

	@Test
	void aNullObservationHidesTheCurrentSpanAsReactorDoesWhenThereIsNothingToPropagate() {
		run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			ObservationThreadLocalAccessor accessor = new ObservationThreadLocalAccessor(registry);
			Observation observation = Observation.start("cleared", registry);
			long clearedAt;
			try (Observation.Scope scope = observation.openScope()) {
				accessor.setValue();
				assertThat(context.getBean(Tracer.class).currentSpan()).isNull();
				clearedAt = this.sink.begin();
				accessor.restore(observation);
			}
			observation.stop();
			List<Interval> intervals = this.sink.intervals(id(observation));
			assertThat(intervals).hasSize(2);
			assertThat(intervals.get(0).end()).isLessThan(clearedAt);
			assertThat(intervals.get(1).start()).isGreaterThan(clearedAt);
		});
	}

	@Test
	void resettingAnObservationsScopeEndsItsInterval() {
		run((context) -> {
			Observation observation = Observation.start("reset", context.getBean(ObservationRegistry.class));
			Observation.Scope scope = observation.openScope();
			scope.reset();
			assertThat(this.sink.intervals(id(observation))).hasSize(1);
			observation.stop();
			assertThat(this.sink.entered(Thread.currentThread())).isEqualTo(this.sink.left(Thread.currentThread()));
		});
	}

	@Test
	void nothingOfASpanIsKeptOnceItsObservationStopped() {
		run((context) -> {
			SpanLookup spans = context.getBean(SpanLookup.class);
			Observation observation = Observation.start("work", context.getBean(ObservationRegistry.class));
			try (Observation.Scope scope = observation.openScope()) {
				assertThat(this.sink.intervals()).isEmpty();
			}
			Span span = span(observation);
			ScopedSpan whileOpen = spans.find(span, null);
			// Cached while the span lives: a scope change does not format its ids again.
			assertThat(spans.find(span, null)).isSameAs(whileOpen);
			observation.stop();
			// Forgotten once it ended (kept, a request's objects would outlive it by
			// seconds and be promoted); found again, it is the same span.
			ScopedSpan afterStop = spans.find(span, null);
			assertThat(afterStop).isNotSameAs(whileOpen);
			assertThat(afterStop).isEqualTo(whileOpen);
		});
	}

	@Test
	void aServerRequestRecordsTheEndpointOfItsLocalRootOnce() {
		run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Observation server = request(registry, "/orders/{id}");
			Observation inner = null;
			try (Observation.Scope scope = server.openScope()) {
				// A server observation inside another span does not name the local root.
				inner = request(registry, "/inner");
				inner.stop();
			}
			server.stop();
			assertThat(this.sink.marks())
				.containsExactly(SpanTag.endpoint(id(server), "servlet.request", "GET /orders/{id}"));
		});
	}

	@Test
	void aThreadIsEligibleForWallSamplingOnceForNestedScopes() {
		run((context) -> {
			Tracer tracer = context.getBean(Tracer.class);
			Observation observation = Observation.start("outer", context.getBean(ObservationRegistry.class));
			try (Observation.Scope scope = observation.openScope()) {
				Span span = tracer.nextSpan().name("inner").start();
				try (Tracer.SpanInScope inner = tracer.withSpan(span)) {
					assertThat(this.sink.entered(Thread.currentThread())).isOne();
				}
				span.end();
				assertThat(this.sink.left(Thread.currentThread())).isZero();
			}
			observation.stop();
			assertThat(this.sink.left(Thread.currentThread())).isOne();
		});
	}

	private static Observation request(ObservationRegistry registry, String uri) {
		RequestReplyReceiverContext<Map<String, String>, Object> request = new RequestReplyReceiverContext<>(Map::get);
		request.setCarrier(Map.of());
		return Observation.createNotStarted("http.server.requests", () -> request, registry)
			.lowCardinalityKeyValue("method", "GET")
			.lowCardinalityKeyValue("uri", uri)
			.start();
	}

	private static long id(Span span) {
		return Long.parseUnsignedLong(span.context().spanId(), 16);
	}

	private static long id(Observation observation) {
		return id(span(observation));
	}

	private static Span span(Observation observation) {
		TracingContext tracing = observation.getContext().getRequired(TracingContext.class);
		return tracing.getSpan();
	}

	private static Interval only(List<Interval> intervals) {
		assertThat(intervals).hasSize(1);
		return intervals.get(0);
	}

}
