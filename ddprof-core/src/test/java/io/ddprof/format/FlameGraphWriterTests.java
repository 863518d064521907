package io.ddprof.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.ddprof.profile.EventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTML flame graph written from a real async-profiler window. */
class FlameGraphWriterTests {

	private static final Pattern EXTERNAL_SOURCE = Pattern
		.compile("<(script|link|img|iframe)[^>]+(src|href)\\s*=\\s*['\"]?(https?:)?//", Pattern.CASE_INSENSITIVE);

	private final Samples samples = RecordedWindows.asyncProfiler().read();

	@Test
	void thePageContainsTheHotMethodAndTheTitle() throws IOException {
		String html = write(SampleFilter.of(EventType.CPU), "CPU of worker requests");
		assertThat(html).startsWith("<!DOCTYPE html>").contains("<h1>CPU of worker requests</h1>");
		assertThat(frameNames(html)).contains(RecordedWindows.class.getName() + ".burnInRootSpan",
				RecordedWindows.class.getName() + ".burnInNestedSpan", "java.lang.Thread.run");
	}

	@Test
	void thePageLoadsNothingFromTheNetwork() throws IOException {
		String html = write(SampleFilter.of(EventType.CPU), "cpu");
		assertThat(EXTERNAL_SOURCE.matcher(html).find()).isFalse();
		assertThat(html).doesNotContainPattern("url\\(\\s*['\"]?https?:").doesNotContain("@import");
	}

	@Test
	void thePageKeepsSearchAndZoom() throws IOException {
		String html = write(SampleFilter.of(EventType.CPU), "cpu");
		assertThat(html).contains("function search(").contains("id='search'").contains("canvas.onclick");
	}

	@Test
	void theTitleIsEscaped() throws IOException {
		String html = write(SampleFilter.of(EventType.CPU), "<script>alert('x')</script> & more");
		assertThat(html).contains("<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</h1>")
			.doesNotContain("<script>alert");
	}

	@Test
	void aFilterLimitsTheGraphToItsSamples() throws IOException {
		String html = write(new SampleFilter(EventType.CPU, null, null, -1L), "nothing");
		assertThat(frameNames(html)).containsExactly("all");
	}

	/**
	 * The frame names of the page's constant pool, unpacked as its script does: sorted,
	 * each entry giving the length of the prefix shared with the previous one (as a
	 * character offset by 32) and the rest.
	 */
	private static List<String> frameNames(String html) {
		String pool = html.substring(html.indexOf("const cpool = ["),
				html.indexOf("];", html.indexOf("const cpool = [")));
		List<String> names = new ArrayList<>();
		String previous = null;
		for (String line : pool.lines().toList()) {
			if (!line.startsWith("'")) {
				continue;
			}
			String packed = line.substring(1, line.lastIndexOf('\'')).replace("\\'", "'").replace("\\\\", "\\");
			previous = names.isEmpty() ? packed : previous.substring(0, packed.charAt(0) - ' ') + packed.substring(1);
			names.add(previous);
		}
		return names;
	}

	private String write(SampleFilter filter, String title) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		FlameGraphWriter.write(this.samples, filter, title, out);
		return out.toString(StandardCharsets.UTF_8);
	}

}
