package io.ddprof.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import io.ddprof.format.RecordedWindows.ExpectedSpan;
import io.ddprof.format.RecordedWindows.Window;
import io.ddprof.format.pprof.ProfileProto.Function;
import io.ddprof.format.pprof.ProfileProto.Label;
import io.ddprof.format.pprof.ProfileProto.Location;
import io.ddprof.format.pprof.ProfileProto.Profile;
import io.ddprof.format.pprof.ProfileProto.Sample;
import io.ddprof.format.pprof.ProfileProto.ValueType;
import io.ddprof.profile.EventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pprof written from a real async-profiler window, decoded with protobuf-java's code
 * generated from Google's {@code profile.proto}: a decoder that shares nothing with the
 * writer.
 */
class PprofWriterTests {

	private final Window window = RecordedWindows.asyncProfiler();

	private final Samples samples = this.window.read();

	@Test
	void everyProfileTypeHasItsSampleTypes() throws IOException {
		assertThat(sampleTypes(write(SampleFilter.of(EventType.CPU)))).containsExactly("cpu/nanoseconds",
				"samples/count");
		assertThat(sampleTypes(write(SampleFilter.of(EventType.WALL)))).containsExactly("wall/nanoseconds");
		assertThat(sampleTypes(write(SampleFilter.of(EventType.ALLOC)))).containsExactly("alloc-space/bytes",
				"alloc-samples/count");
		assertThat(sampleTypes(write(SampleFilter.of(EventType.LIVE)))).containsExactly("inuse-space/bytes",
				"inuse-objects/count");
		assertThat(sampleTypes(write(SampleFilter.of(EventType.LOCK)))).containsExactly("lock-time/nanoseconds",
				"lock-count/count");
	}

	@Test
	void periodDurationAndStartAreSet() throws IOException {
		Profile profile = write(SampleFilter.of(EventType.CPU));
		assertThat(string(profile, profile.getPeriodType().getType())).isEqualTo("cpu");
		assertThat(string(profile, profile.getPeriodType().getUnit())).isEqualTo("nanoseconds");
		assertThat(profile.getPeriod()).isEqualTo(RecordedWindows.CPU_INTERVAL_NANOS);
		assertThat(profile.getTimeNanos()).isEqualTo(this.samples.startNanos());
		assertThat(profile.getDurationNanos()).isBetween(RecordedWindows.RECORDING.toNanos() / 2,
				RecordedWindows.RECORDING.toNanos() * 20);
		assertThat(profile.getStringTable(0)).isEmpty();
	}

	@Test
	void valuesAddUpToTheSelectedSamples() throws IOException {
		Profile profile = write(SampleFilter.of(EventType.CPU));
		long nanos = 0;
		long count = 0;
		for (int i = 0; i < this.samples.size(); i++) {
			if (this.samples.type(i) == EventType.CPU) {
				nanos += this.samples.value(i);
				count += this.samples.count(i);
			}
		}
		assertThat(count).isPositive();
		assertThat(profile.getSampleList().stream().mapToLong((sample) -> sample.getValue(0)).sum()).isEqualTo(nanos);
		assertThat(profile.getSampleList().stream().mapToLong((sample) -> sample.getValue(1)).sum()).isEqualTo(count);
		assertThat(profile.getSampleList()).allSatisfy((sample) -> assertThat(sample.getValueList()).hasSize(2));
	}

	@Test
	void samplesInSpansCarryTheSpanAndThreadLabels() throws IOException {
		Profile profile = write(SampleFilter.of(EventType.CPU));
		int checked = 0;
		for (Sample sample : profile.getSampleList()) {
			if (!functions(profile, sample).contains(RecordedWindows.class.getName() + ".burnInNestedSpan")) {
				continue;
			}
			Map<String, String> labels = stringLabels(profile, sample);
			if (!labels.containsKey("span id")) {
				continue;
			}
			checked++;
			ExpectedSpan expected = this.window.spans().get(Long.parseLong(labels.get("span id")));
			assertThat(expected).isNotNull();
			assertThat(expected.nested()).isTrue();
			assertThat(labels).containsEntry("local root span id", Long.toString(expected.localRootSpanId()))
				.containsEntry("trace id", expected.traceId())
				.containsEntry("trace endpoint", expected.endpoint())
				.containsEntry("thread name", expected.thread());
			assertThat(numericLabels(profile, sample)).containsEntry("thread id",
					this.window.threadIds().get(expected.thread()));
		}
		assertThat(checked).isGreaterThan(3);
	}

	@Test
	void samplesOutsideSpansCarryOnlyThreadLabels() throws IOException {
		Profile profile = write(SampleFilter.of(EventType.CPU));
		List<Sample> outside = new ArrayList<>();
		for (Sample sample : profile.getSampleList()) {
			if (functions(profile, sample).contains(RecordedWindows.class.getName() + ".burnOutsideSpan")) {
				outside.add(sample);
			}
		}
		assertThat(outside).isNotEmpty().allSatisfy((sample) -> {
			assertThat(stringLabels(profile, sample)).containsOnlyKeys("thread name");
			assertThat(numericLabels(profile, sample)).containsOnlyKeys("thread id");
		});
	}

	@Test
	void stacksAreLeafFirstWithLineNumbers() throws IOException {
		Profile profile = write(SampleFilter.of(EventType.CPU));
		Sample sample = profile.getSampleList()
			.stream()
			.filter((s) -> functions(profile, s).contains(RecordedWindows.class.getName() + ".burnInRootSpan"))
			.findFirst()
			.orElseThrow();
		List<String> functions = functions(profile, sample);
		assertThat(functions.get(functions.size() - 1)).isEqualTo("java.lang.Thread.run");
		assertThat(functions.indexOf(RecordedWindows.class.getName() + ".burnInRootSpan"))
			.isLessThan(functions.indexOf("java.lang.Thread.run"));
		Location location = location(profile, sample.getLocationId(functions.size() - 1));
		assertThat(location.getLine(0).getLine()).isPositive();
	}

	@Test
	void aFilterLimitsTheProfileToItsSamples() throws IOException {
		String endpoint = RecordedWindows.ENDPOINTS[1];
		Profile profile = write(SampleFilter.of(EventType.CPU).withEndpoint(endpoint));
		assertThat(profile.getSampleList()).isNotEmpty()
			.allSatisfy(
					(sample) -> assertThat(stringLabels(profile, sample)).containsEntry("trace endpoint", endpoint));
	}

	@Test
	void everyLocationAndFunctionReferencedExists() throws IOException {
		Profile profile = write(SampleFilter.of(EventType.ALLOC));
		Set<Long> locations = new HashSet<>();
		profile.getLocationList().forEach((location) -> locations.add(location.getId()));
		Set<Long> functions = new HashSet<>();
		profile.getFunctionList().forEach((function) -> functions.add(function.getId()));
		assertThat(profile.getSampleList()).isNotEmpty()
			.allSatisfy((sample) -> assertThat(locations).containsAll(sample.getLocationIdList()));
		assertThat(profile.getLocationList())
			.allSatisfy((location) -> assertThat(functions).contains(location.getLine(0).getFunctionId()));
		assertThat(profile.getMappingCount()).isEqualTo(1);
	}

	@Test
	void theCallersStreamIsLeftOpen() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream() {

			@Override
			public void close() {
				throw new AssertionError("closed");
			}

		};
		PprofWriter.write(this.samples, SampleFilter.of(EventType.LOCK), out);
		out.write(0);
		assertThat(out.size()).isGreaterThan(1);
	}

	private Profile write(SampleFilter filter) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		PprofWriter.write(this.samples, filter, out);
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray()))) {
			return Profile.parseFrom(in);
		}
	}

	private static List<String> sampleTypes(Profile profile) {
		List<String> types = new ArrayList<>();
		for (ValueType type : profile.getSampleTypeList()) {
			types.add(string(profile, type.getType()) + "/" + string(profile, type.getUnit()));
		}
		return types;
	}

	private static List<String> functions(Profile profile, Sample sample) {
		Map<Long, Function> functions = new HashMap<>();
		profile.getFunctionList().forEach((function) -> functions.put(function.getId(), function));
		List<String> names = new ArrayList<>();
		for (long id : sample.getLocationIdList()) {
			names.add(string(profile, functions.get(location(profile, id).getLine(0).getFunctionId()).getName()));
		}
		return names;
	}

	private static Location location(Profile profile, long id) {
		return profile.getLocationList()
			.stream()
			.filter((location) -> location.getId() == id)
			.findFirst()
			.orElseThrow();
	}

	private static Map<String, String> stringLabels(Profile profile, Sample sample) {
		Map<String, String> labels = new HashMap<>();
		for (Label label : sample.getLabelList()) {
			if (label.getStr() != 0) {
				labels.put(string(profile, label.getKey()), string(profile, label.getStr()));
			}
		}
		return labels;
	}

	private static Map<String, Long> numericLabels(Profile profile, Sample sample) {
		Map<String, Long> labels = new HashMap<>();
		for (Label label : sample.getLabelList()) {
			if (label.getStr() == 0) {
				labels.put(string(profile, label.getKey()), label.getNum());
			}
		}
		return labels;
	}

	private static String string(Profile profile, long index) {
		return profile.getStringTable((int) index);
	}

}
