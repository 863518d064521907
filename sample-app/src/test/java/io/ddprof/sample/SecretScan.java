package io.ddprof.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

import com.github.luben.zstd.ZstdInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Looks for a secret, as written and in Base64, in every byte of an artifact, after
 * undoing the compression its first bytes announce (gzip, zstd, an LZ4 frame).
 */
final class SecretScan {

	private final byte[][] forms;

	SecretScan(String secret) {
		byte[] plain = secret.getBytes(StandardCharsets.UTF_8);
		this.forms = new byte[][] { plain, Base64.getEncoder().encode(plain), Base64.getUrlEncoder().encode(plain) };
	}

	/**
	 * Fails when {@code bytes}, or what they decompress to, hold the secret in any form.
	 */
	void assertAbsent(String artifact, byte[] bytes) throws IOException {
		assertThat(bytes).as("%s is empty: nothing was scanned", artifact).isNotEmpty();
		byte[] content = decompressed(bytes);
		for (byte[] form : this.forms) {
			assertThat(indexOf(bytes, form)).as("the secret in %s", artifact).isEqualTo(-1);
			assertThat(indexOf(content, form)).as("the secret in %s, decompressed", artifact).isEqualTo(-1);
		}
	}

	/**
	 * Whether {@code bytes} hold the secret as written, decompressed first (for a check
	 * that the scan can fail).
	 */
	boolean foundIn(byte[] bytes) throws IOException {
		return indexOf(decompressed(bytes), this.forms[0]) >= 0;
	}

	static byte[] decompressed(byte[] bytes) throws IOException {
		InputStream in;
		if (startsWith(bytes, 0x1f, 0x8b)) {
			in = new GZIPInputStream(new ByteArrayInputStream(bytes));
		}
		else if (startsWith(bytes, 0x28, 0xb5, 0x2f, 0xfd)) {
			in = new ZstdInputStream(new ByteArrayInputStream(bytes));
		}
		else if (startsWith(bytes, 0x04, 0x22, 0x4d, 0x18)) {
			in = new LZ4FrameInputStream(new ByteArrayInputStream(bytes));
		}
		else {
			return bytes;
		}
		try (in) {
			return in.readAllBytes();
		}
	}

	private static boolean startsWith(byte[] bytes, int... magic) {
		if (bytes.length < magic.length) {
			return false;
		}
		for (int i = 0; i < magic.length; i++) {
			if ((bytes[i] & 0xff) != magic[i]) {
				return false;
			}
		}
		return true;
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = 0; i <= data.length - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
