package org.imaginebot.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures in the middle of a body, which the JDK's HttpServer cannot make: a raw socket server.
 */
final class ModelDownloaderTest {

  private static final byte[] CONTENT = new byte[100_000];

  static {
    new Random(5).nextBytes(CONTENT);
  }

  @TempDir Path dir;

  private final CountDownLatch release = new CountDownLatch(1);
  private RawServer server;

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void fetch_connectionDropsMidBody_keepsThePart_andTheNextFetchResumesFromIt() throws IOException {
    server =
        new RawServer(
            (head, out) -> {
              out.write(
                  ("HTTP/1.1 200 OK\r\nContent-Length: " + CONTENT.length + "\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
              out.write(CONTENT, 0, 40_000);
            },
            (head, out) -> {
              int from = 40_000;
              out.write(
                  ("HTTP/1.1 206 Partial Content\r\nContent-Length: "
                          + (CONTENT.length - from)
                          + "\r\nContent-Range: bytes "
                          + from
                          + "-"
                          + (CONTENT.length - 1)
                          + "/"
                          + CONTENT.length
                          + "\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
              out.write(CONTENT, from, CONTENT.length - from);
            });
    ModelFile file = file(server.url("model.pt?sig=SECRET"));
    ModelDownloader downloader =
        new ModelDownloader(HttpClient.newHttpClient(), Duration.ofSeconds(10));

    assertThatExceptionOfType(ModelFileException.class)
        .isThrownBy(() -> downloader.fetch(file, (bytes, total) -> {}))
        .withMessageStartingWith(
            "download of " + server.base() + "/model.pt for model 'm' file generator failed: ")
        .withMessageEndingWith(
            "; check the network and run the fetch again, it resumes from "
                + dir.resolve("m/model.pt.part"))
        .withMessageNotContaining("SECRET");
    assertThat(Files.size(dir.resolve("m/model.pt.part"))).isEqualTo(40_000);

    ModelDownloader.Result result = downloader.fetch(file, (bytes, total) -> {});

    assertThat(server.heads.get(1)).contains("Range: bytes=40000-");
    assertThat(result.resumedFrom()).isEqualTo(40_000);
    assertThat(Files.readAllBytes(file.path())).isEqualTo(CONTENT);
  }

  @Test
  void fetch_serverStallsMidBody_failsAfterTheStallTimeout_andKeepsThePart() {
    server =
        new RawServer(
            (head, out) -> {
              out.write(
                  ("HTTP/1.1 200 OK\r\nContent-Length: " + CONTENT.length + "\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
              out.write(CONTENT, 0, 40_000);
              out.flush();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    ModelFile file = file(server.url("model.pt"));
    ModelDownloader downloader =
        new ModelDownloader(HttpClient.newHttpClient(), Duration.ofMillis(300));

    assertThatExceptionOfType(ModelFileException.class)
        .isThrownBy(() -> downloader.fetch(file, (bytes, total) -> {}))
        .withMessageContaining("no bytes came for 300 ms");
    assertThat(Thread.currentThread().isInterrupted())
        .as("the guard's interrupt is cleared")
        .isFalse();
    assertThat(dir.resolve("m/model.pt.part")).hasSize(40_000);
  }

  @Test
  void redact_dropsUserInfoQueryAndFragment() {
    assertThat(ModelDownloader.redact("https://user:pw@example.org:8443/a/b.pt?token=x#frag"))
        .isEqualTo("https://example.org:8443/a/b.pt");
    assertThat(ModelDownloader.redact("https://example.org/a b?token=x"))
        .isEqualTo("(invalid url)");
  }

  private ModelFile file(String url) {
    return new ModelFile(
        "m", "generator", dir.resolve("m/model.pt"), sha256(CONTENT), url, "scripts/export");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Answers the n-th connection with the n-th responder, then closes it. */
  private static final class RawServer implements AutoCloseable {

    interface Responder {
      void respond(String head, OutputStream out) throws IOException;
    }

    final List<String> heads = new CopyOnWriteArrayList<>();
    private final ServerSocket socket;

    RawServer(Responder... responders) {
      try {
        socket = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      Thread thread =
          new Thread(
              () -> {
                for (Responder responder : responders) {
                  try (Socket connection = socket.accept()) {
                    BufferedReader in =
                        new BufferedReader(
                            new InputStreamReader(
                                connection.getInputStream(), StandardCharsets.US_ASCII));
                    StringBuilder head = new StringBuilder();
                    for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                      head.append(line).append('\n');
                    }
                    heads.add(head.toString());
                    OutputStream out = connection.getOutputStream();
                    responder.respond(head.toString(), out);
                    out.flush();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "raw-http-server");
      thread.setDaemon(true);
      thread.start();
    }

    String base() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    String url(String pathAndQuery) {
      return base() + "/" + pathAndQuery;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
