package io.ddprof.spring.web;

import java.nio.file.Path;
import java.time.Duration;

import io.netty.channel.ChannelOption;
import io.netty.channel.unix.DomainSocketAddress;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * The upload's connectors on Reactor Netty, apart so that
 * {@link WebClientUploadTransport} loads where Reactor Netty is not on the class path.
 */
final class ReactorNettyConnectors {

	private ReactorNettyConnectors() {
	}

	/** Over TCP, with the standard {@code http(s).proxyHost} system properties. */
	static ClientHttpConnector tcp(Duration timeout) {
		return new ReactorClientHttpConnector(HttpClient.create()
			.proxyWithSystemProperties()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout(timeout)));
	}

	/**
	 * Over the Unix domain socket at {@code socket}, with Netty's native epoll transport.
	 */
	static ClientHttpConnector socket(Path socket, Duration timeout) {
		return new ReactorClientHttpConnector(HttpClient.create()
			.remoteAddress(() -> new DomainSocketAddress(socket.toString()))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout(timeout)));
	}

	private static int connectTimeout(Duration timeout) {
		return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
	}

}
