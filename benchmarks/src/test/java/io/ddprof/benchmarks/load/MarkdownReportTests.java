package io.ddprof.benchmarks.load;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the report writes a spread of values. */
class MarkdownReportTests {

	@Test
	void spreadIsTheMedianWithMinimumAndMaximum() {
		assertThat(MarkdownReport.spread(List.of(0.97, 0.91, 0.99), "%.2f")).isEqualTo("0.97 (0.91–0.99)");
	}

	@Test
	void spreadOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
		assertThat(MarkdownReport.spread(List.of(4.0, 1.0, 2.0, 3.0), "%.1f")).isEqualTo("2.5 (1.0–4.0)");
	}

	@Test
	void spreadOfOneRunIsTheValueAlone() {
		assertThat(MarkdownReport.spread(List.of(0.5), "%.2f")).isEqualTo("0.50");
	}

	@Test
	void spreadOfNoRunIsEmpty() {
		assertThat(MarkdownReport.spread(List.of(), "%.2f")).isEmpty();
	}

}
