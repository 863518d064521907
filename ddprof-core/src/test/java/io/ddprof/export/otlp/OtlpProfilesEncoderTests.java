package io.ddprof.export.otlp;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Trace ids as OTLP links carry them: always 16 bytes. */
class OtlpProfilesEncoderTests {

	@Test
	void a128BitTraceIdIsItsSixteenBytes() {
		assertThat(HexFormat.of().formatHex(OtlpProfilesEncoder.traceId("4bf92f3577b34da6a3ce929d0e0e4736")))
			.isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
	}

	@Test
	void a64BitTraceIdIsPaddedWithLeadingZeros() {
		assertThat(HexFormat.of().formatHex(OtlpProfilesEncoder.traceId("a3ce929d0e0e4736")))
			.isEqualTo("0000000000000000a3ce929d0e0e4736");
	}

	@Test
	void aTraceIdThatIsNotHexHasNoLink() {
		assertThat(OtlpProfilesEncoder.traceId("not-a-trace-id")).isNull();
		assertThat(OtlpProfilesEncoder.traceId("")).isNull();
		assertThat(OtlpProfilesEncoder.traceId("4bf92f3577b34da6a3ce929d0e0e47360")).isNull();
	}

}
