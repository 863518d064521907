package io.ddprof.spring.tracing;

import io.ddprof.context.SpanSink;
import io.ddprof.problem.ProblemLog;
import io.micrometer.tracing.otel.bridge.OtelSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link OtelSpans} finds the local root span of real OpenTelemetry SDK spans. */
class OtelSpansTests {

	private final ProblemLog problems = new ProblemLog();

	private final OtelSpans spans = new OtelSpans(new SpanScopes(SpanSink.NONE, this.problems));

	private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(this.spans).build();

	private final Tracer tracer = this.provider.get("otel-spans-tests");

	@AfterEach
	void shutdown() {
		this.provider.close();
	}

	@Test
	void aSpanWithoutAParentIsItsOwnLocalRoot() {
		Span root = this.tracer.spanBuilder("root").setNoParent().startSpan();
		assertThat(scoped(root).localRootSpanId()).isEqualTo(id(root));
		assertThat(scoped(root).isLocalRoot()).isTrue();
	}

	@Test
	void aSpanWhoseParentIsRemoteIsALocalRoot() {
		SpanContext remote = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
				TraceFlags.getSampled(), TraceState.getDefault());
		Span server = this.tracer.spanBuilder("server").setParent(Context.root().with(Span.wrap(remote))).startSpan();
		assertThat(scoped(server).localRootSpanId()).isEqualTo(id(server));
		assertThat(scoped(server).tag()).startsWith("s 0af7651916cd43dd8448eb211c80319c ");
	}

	@Test
	void descendantsInheritTheLocalRootOfTheirParent() {
		Span root = this.tracer.spanBuilder("root").setNoParent().startSpan();
		Span child = this.tracer.spanBuilder("child").setParent(Context.root().with(root)).startSpan();
		Span grandchild = this.tracer.spanBuilder("grandchild").setParent(Context.root().with(child)).startSpan();
		assertThat(scoped(child).localRootSpanId()).isEqualTo(id(root));
		assertThat(scoped(grandchild).localRootSpanId()).isEqualTo(id(root));
	}

	@Test
	void aChildStartedAfterItsParentEndedFindsTheLocalRootOfAParentThatWasInScope() {
		Span root = this.tracer.spanBuilder("root").setNoParent().startSpan();
		Span parent = this.tracer.spanBuilder("parent").setParent(Context.root().with(root)).startSpan();
		scoped(parent);
		parent.end();
		root.end();
		Span late = this.tracer.spanBuilder("late").setParent(Context.root().with(parent)).startSpan();
		assertThat(scoped(late).localRootSpanId()).isEqualTo(id(root));
	}

	@Test
	void aChildStartedAfterItsParentEndedFindsItsLocalRootThoughTheParentWasNeverInScope() {
		Span root = this.tracer.spanBuilder("root").setNoParent().startSpan();
		Span parent = this.tracer.spanBuilder("parent").setParent(Context.root().with(root)).startSpan();
		parent.end();
		root.end();
		Span late = this.tracer.spanBuilder("late").setParent(Context.root().with(parent)).startSpan();
		assertThat(scoped(late).localRootSpanId()).isEqualTo(id(root));
	}

	@Test
	void anEndedSpanIsNoLongerCached() {
		Span span = this.tracer.spanBuilder("work").setNoParent().startSpan();
		ScopedSpan whileOpen = scoped(span);
		assertThat(scoped(span)).isSameAs(whileOpen);
		span.end();
		assertThat(scoped(span)).isNotSameAs(whileOpen).isEqualTo(whileOpen);
	}

	@Test
	void aSpanNotSampledIsForgottenWhenItsObservationStops() {
		// Spans not sampled never reach a span processor: the Observation handler tells.
		Span span = this.tracer.spanBuilder("work").setNoParent().startSpan();
		SpanContext unsampled = SpanContext.create(span.getSpanContext().getTraceId(), "00f067aa0ba902b7",
				TraceFlags.getDefault(), TraceState.getDefault());
		ScopedSpan whileOpen = this.spans.find(unsampled, null);
		assertThat(this.spans.find(unsampled, null)).isSameAs(whileOpen);
		this.spans.ended(OtelSpan.fromOtel(Span.wrap(unsampled)));
		assertThat(this.spans.find(unsampled, null)).isNotSameAs(whileOpen).isEqualTo(whileOpen);
	}

	@Test
	void onlySpansOpenNowAreTracked() {
		Span root = this.tracer.spanBuilder("root").setNoParent().startSpan();
		Span child = this.tracer.spanBuilder("child").setParent(Context.root().with(root)).startSpan();
		assertThat(this.spans.tracked()).isEqualTo(2);
		child.end();
		root.end();
		assertThat(this.spans.tracked()).isZero();
	}

	@Test
	void atMostABoundedNumberOfOpenSpansIsTrackedAndTheExcessIsReportedOnce() {
		for (int i = 0; i <= OtelSpans.MAX_OPEN_SPANS + 10; i++) {
			this.tracer.spanBuilder("leaked").setNoParent().startSpan();
		}
		assertThat(this.spans.tracked()).isEqualTo(OtelSpans.MAX_OPEN_SPANS);
		assertThat(this.problems.recent()).singleElement()
			.satisfies((problem) -> assertThat(problem.kind()).isEqualTo("tracing.open-spans"));
	}

	@Test
	void aSpanTheProcessorNeverSawTakesTheLocalRootOfTheEnclosingSpanOfItsTrace() {
		Span root = this.tracer.spanBuilder("root").setNoParent().startSpan();
		ScopedSpan enclosing = scoped(root);
		// Spans that are not sampled never reach a span processor.
		SpanContext unsampled = SpanContext.create(root.getSpanContext().getTraceId(), "00f067aa0ba902b7",
				TraceFlags.getDefault(), TraceState.getDefault());
		SpanContext otherTrace = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b8",
				TraceFlags.getDefault(), TraceState.getDefault());
		assertThat(this.spans.find(unsampled, enclosing).localRootSpanId()).isEqualTo(id(root));
		assertThat(this.spans.find(otherTrace, enclosing).localRootSpanId()).isEqualTo(0x00f067aa0ba902b8L);
	}

	@Test
	void anInvalidSpanContextIsNoSpan() {
		assertThat(this.spans.find(SpanContext.getInvalid(), null)).isNull();
	}

	private ScopedSpan scoped(Span span) {
		return this.spans.find(span.getSpanContext(), null);
	}

	private static long id(Span span) {
		return Long.parseUnsignedLong(span.getSpanContext().getSpanId(), 16);
	}

}
