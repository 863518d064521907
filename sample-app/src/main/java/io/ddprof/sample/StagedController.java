package io.ddprof.sample;

import java.io.IOException;
import java.time.Duration;

import io.ddprof.sample.WorkloadController.Work;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Endpoints that compute, wait on a slow downstream service and compute again
 * ({@link StagedWork}), one method each: with the {@code virtual-threads} profile they
 * show that every sample keeps its own request's span although the request's virtual
 * thread unmounts in the middle.
 */
@RestController
@RequestMapping("/staged")
public class StagedController {

	private final StagedWork work;

	private final Tracer tracer;

	StagedController(StagedWork work, Tracer tracer) {
		this.work = work;
		this.tracer = tracer;
	}

	/**
	 * {@link StagedWork#quote}: {@code millis} of CPU around a downstream wait of
	 * {@code wait} milliseconds.
	 */
	@GetMapping("/quote")
	public Work quote(@RequestParam(defaultValue = "40") long millis, @RequestParam(defaultValue = "20") long wait)
			throws IOException {
		return answer("quote", this.work.quote(cpu(millis), downstreamWait(wait)));
	}

	/** {@link StagedWork#rank}, with the parameters of {@link #quote}. */
	@GetMapping("/rank")
	public Work rank(@RequestParam(defaultValue = "40") long millis, @RequestParam(defaultValue = "20") long wait)
			throws IOException {
		return answer("rank", this.work.rank(cpu(millis), downstreamWait(wait)));
	}

	/** {@link StagedWork#render}, with the parameters of {@link #quote}. */
	@GetMapping("/render")
	public Work render(@RequestParam(defaultValue = "40") long millis, @RequestParam(defaultValue = "20") long wait)
			throws IOException {
		return answer("render", this.work.render(cpu(millis), downstreamWait(wait)));
	}

	private Work answer(String endpoint, long result) {
		Span span = this.tracer.currentSpan();
		return new Work(endpoint, result, (span != null) ? span.context().traceId() : null,
				(span != null) ? span.context().spanId() : null);
	}

	private static Duration cpu(long millis) {
		return Duration.ofMillis(requireRange("millis", millis, 2, 10_000));
	}

	private static Duration downstreamWait(long millis) {
		// The downstream protocol carries the delay in one byte.
		return Duration.ofMillis(requireRange("wait", millis, 1, 255));
	}

	private static long requireRange(String name, long value, long min, long max) {
		if (value < min || value > max) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					name + " must be between " + min + " and " + max + ", was " + value);
		}
		return value;
	}

}
