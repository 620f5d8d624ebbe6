package org.imaginebot.metrics;

/**
 * The {@code server} section: where {@code serve} answers {@code /metrics} and {@code /health}.
 *
 * @param host address to listen on; 127.0.0.1 keeps it private, 0.0.0.0 lets Prometheus reach it
 * @param port TCP port, 0..65535 (0 picks a free one)
 */
public record ServerConfig(String host, int port) {

  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "server.host must be an address such as 127.0.0.1, got nothing");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("server.port must be between 0 and 65535, got " + port);
    }
  }
}
