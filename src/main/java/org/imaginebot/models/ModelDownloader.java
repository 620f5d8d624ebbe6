package org.imaginebot.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a model file from the manifest's {@code url} and puts it in place once its SHA-256 is
 * right.
 *
 * <p>Bytes go to {@code <file>.part} beside the file. When a {@code .part} is already there (an
 * interrupted download) the request asks only for the rest, with {@code Range: bytes=N-}: a {@code
 * 206} answer is appended, a {@code 200} answer (a server that ignores ranges) starts the part
 * again. The finished part must have the manifest's SHA-256, else it is deleted; then it replaces
 * the file in one atomic move, so the engine never sees half a model. Messages name the url without
 * its query string, which may hold a token.
 */
public final class ModelDownloader {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Told how many bytes of the file are on disk as they arrive; {@code total} is -1 when unknown.
   */
  @FunctionalInterface
  public interface Listener {
    void onBytes(long bytes, long total);
  }

  /**
   * What a download did.
   *
   * @param file the manifest's entry, now in place
   * @param bytes size of the file
   * @param resumedFrom bytes of an earlier {@code .part} that were kept; 0 when it started from
   *     nothing
   * @param rangeIgnored whether the server ignored a range request, so the whole file came again
   */
  public record Result(ModelFile file, long bytes, long resumedFrom, boolean rangeIgnored) {}

  private final HttpClient client;
  private final Duration stallTimeout;

  /**
   * A downloader sending its requests with {@code client}.
   *
   * @param stallTimeout how long a download may go without a byte before it fails (its part is
   *     kept)
   */
  public ModelDownloader(HttpClient client, Duration stallTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException("stallTimeout must be positive, got " + stallTimeout);
    }
    this.stallTimeout = stallTimeout;
  }

  /**
   * A downloader with its own client: follows redirects (not https to http), 30 s to connect, 60 s
   * for the answer's headers and at most 60 s without a byte of the body.
   */
  public static ModelDownloader create() {
    return new ModelDownloader(
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(CONNECT_TIMEOUT)
            .build(),
        STALL_TIMEOUT);
  }

  /** Where the download of {@code file} collects its bytes: {@code <file>.part}. */
  public static Path partOf(ModelFile file) {
    return file.path().resolveSibling(file.path().getFileName() + ".part");
  }

  /**
   * {@code url} without user info, query and fragment, the way messages may show it. Returns {@code
   * "(invalid url)"} when it cannot be parsed, never the url itself.
   */
  public static String redact(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return "(invalid url)";
      }
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (java.net.URISyntaxException e) {
      return "(invalid url)";
    }
  }

  /**
   * Downloads {@code file}, resuming its {@code .part}, checks its SHA-256 and moves it into place.
   *
   * @throws ModelFileException when the manifest has no url for it, the server answers an error,
   *     the network fails (the {@code .part} is kept for the next try) or the SHA-256 is wrong (the
   *     {@code .part} is deleted); the message names the model, the file and what to do
   */
  public Result fetch(ModelFile file, Listener listener) {
    Objects.requireNonNull(listener, "listener");
    URI uri = uriOf(file);
    Path part = partOf(file);
    try {
      Path parent = file.path().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      long kept = Files.isRegularFile(part) ? Files.size(part) : 0;
      Transfer transfer = transfer(file, uri, part, kept, listener);
      if (transfer == null) {
        // The server refused the range (416) or answered another one: the part is complete or
        // unusable.
        if (!ModelFiles.sha256(part).equals(file.sha256())) {
          Files.deleteIfExists(part);
          transfer = transfer(file, uri, part, 0, listener);
        } else {
          transfer = new Transfer(kept, false);
        }
      }
      String actual = ModelFiles.sha256(part);
      if (!actual.equals(file.sha256()) && transfer.resumedFrom() > 0) {
        // The earlier part may be what is wrong (written by another version of the file): once more
        // from nothing.
        Files.deleteIfExists(part);
        transfer = transfer(file, uri, part, 0, listener);
        actual = ModelFiles.sha256(part);
      }
      if (!actual.equals(file.sha256())) {
        Files.deleteIfExists(part);
        throw new ModelFileException(
            "downloaded "
                + redact(file.url())
                + " for "
                + name(file)
                + " has sha256 "
                + actual
                + ", expected "
                + file.sha256()
                + "; deleted the download. The url serves another file than the manifest names:"
                + " correct the url or the sha256 in the manifest",
            file,
            actual,
            null);
      }
      long size = Files.size(part);
      Files.move(
          part, file.path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Result(file, size, transfer.resumedFrom(), transfer.rangeIgnored());
    } catch (IOException e) {
      throw new ModelFileException(
          "download of "
              + redact(file.url())
              + " for "
              + name(file)
              + " failed: "
              + scrub(e.toString(), file.url())
              + "; check the network and run the fetch again, it resumes from "
              + part,
          file,
          null,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelFileException(
          "download of "
              + redact(file.url())
              + " for "
              + name(file)
              + " was interrupted; run the fetch again, it resumes from "
              + part,
          file,
          null,
          e);
    }
  }

  /**
   * How a request went: bytes of the earlier part kept, and whether a range request was ignored.
   */
  private record Transfer(long resumedFrom, boolean rangeIgnored) {}

  /** One request; null when the server refused or misanswered the range asked for. */
  private Transfer transfer(ModelFile file, URI uri, Path part, long offset, Listener listener)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET();
    if (offset > 0) {
      request.header("Range", "bytes=" + offset + "-");
    }
    AtomicReference<PartWriter> writer = new AtomicReference<>();
    CompletableFuture<HttpResponse<Void>> future =
        client.sendAsync(
            request.build(),
            info -> {
              Plan plan = Plan.of(info.statusCode(), info.headers(), offset);
              if (plan.status() != Plan.Status.WRITE) {
                return HttpResponse.BodySubscribers.replacing(null);
              }
              PartWriter w = new PartWriter(part, plan.start(), plan.total(), listener);
              writer.set(w);
              return w;
            });
    HttpResponse<Void> response = await(future, writer);
    Plan plan = Plan.of(response.statusCode(), response.headers(), offset);
    if (plan.status() == Plan.Status.RESTART) {
      return null;
    }
    if (plan.status() == Plan.Status.ERROR) {
      throw new ModelFileException(
          "GET "
              + redact(file.url())
              + " for "
              + name(file)
              + " answered HTTP "
              + response.statusCode()
              + "; "
              + advice(response.statusCode()),
          file,
          null,
          null);
    }
    long bytes = writer.get().bytes();
    if (plan.total() >= 0 && bytes != plan.total()) {
      throw new IOException("the server sent " + bytes + " of " + plan.total() + " bytes");
    }
    return new Transfer(plan.start(), offset > 0 && plan.start() == 0);
  }

  /**
   * Waits for the answer and its body, failing when no byte has come for {@code stallTimeout}: the
   * JDK client has no read timeout for bodies, so a stalled server would hang the fetch forever.
   */
  private HttpResponse<Void> await(
      CompletableFuture<HttpResponse<Void>> future, AtomicReference<PartWriter> writer)
      throws IOException, InterruptedException {
    long period = Math.max(10, stallTimeout.toMillis() / 4);
    while (true) {
      try {
        return future.get(period, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        PartWriter w = writer.get();
        if (w != null && w.idleNanos() > stallTimeout.toNanos()) {
          w.cancel();
          future.cancel(true);
          throw new IOException(
              "no bytes came for "
                  + (stallTimeout.toMillis() % 1000 == 0
                      ? stallTimeout.toSeconds() + " s"
                      : stallTimeout.toMillis() + " ms"));
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        throw cause instanceof IOException io ? io : new IOException(cause);
      } catch (InterruptedException e) {
        PartWriter w = writer.get();
        if (w != null) {
          w.cancel();
        }
        future.cancel(true);
        throw e;
      }
    }
  }

  /**
   * What to do with an answer: write its body from {@code start} (of {@code total}, -1 when
   * unknown), start again without a range, or fail.
   */
  private record Plan(Status status, long start, long total) {

    enum Status {
      WRITE,
      RESTART,
      ERROR
    }

    static Plan of(int code, HttpHeaders headers, long offset) {
      if (offset > 0 && code == 206) {
        Matcher range = CONTENT_RANGE.matcher(headers.firstValue("Content-Range").orElse(""));
        if (!range.matches() || Long.parseLong(range.group(1)) != offset) {
          return new Plan(Status.RESTART, 0, -1);
        }
        return new Plan(
            Status.WRITE, offset, range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3)));
      }
      if (offset > 0 && code == 416) {
        return new Plan(Status.RESTART, 0, -1);
      }
      if (code == 200) {
        return new Plan(Status.WRITE, 0, headers.firstValueAsLong("Content-Length").orElse(-1));
      }
      return new Plan(Status.ERROR, 0, -1);
    }
  }

  /**
   * Writes a body into the part file from {@code start} (appending, or truncating when 0) and tells
   * the listener; closes the file before the body completes, so the caller reads it whole.
   */
  private static final class PartWriter implements HttpResponse.BodySubscriber<Void> {

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final FileChannel channel;
    private final long total;
    private final Listener listener;
    private volatile long bytes;
    private volatile long lastByte = System.nanoTime();
    private volatile Flow.Subscription subscription;

    PartWriter(Path part, long start, long total, Listener listener) {
      this.total = total;
      this.listener = listener;
      try {
        channel =
            start > 0
                ? FileChannel.open(
                    part,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)
                : FileChannel.open(
                    part,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      bytes = start;
      listener.onBytes(start, total);
    }

    long bytes() {
      return bytes;
    }

    long idleNanos() {
      return System.nanoTime() - lastByte;
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      close();
    }

    @Override
    public CompletionStage<Void> getBody() {
      return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      try {
        long written = bytes;
        for (ByteBuffer buffer : buffers) {
          while (buffer.hasRemaining()) {
            written += channel.write(buffer);
          }
        }
        bytes = written;
        lastByte = System.nanoTime();
        listener.onBytes(written, total);
        subscription.request(1);
      } catch (IOException | RuntimeException e) {
        subscription.cancel();
        close();
        done.completeExceptionally(e);
      }
    }

    @Override
    public void onError(Throwable error) {
      close();
      done.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      try {
        channel.close();
        done.complete(null);
      } catch (IOException e) {
        done.completeExceptionally(e);
      }
    }

    private void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // Already failing; the first error is the one reported.
      }
    }
  }

  private static URI uriOf(ModelFile file) {
    if (file.url() == null) {
      throw new ModelFileException(
          name(file)
              + " ("
              + file.path()
              + ") has no url in the manifest, so it"
              + " cannot be fetched; "
              + (file.source() == null ? "put the file there" : "make it with " + file.source()),
          file,
          null,
          null);
    }
    try {
      return new URI(file.url());
    } catch (java.net.URISyntaxException e) {
      throw new ModelFileException(
          name(file)
              + " has an invalid url in the manifest ("
              + redact(file.url())
              + "); correct it",
          file,
          null,
          null);
    }
  }

  private static String advice(int status) {
    if (status == 401 || status == 403) {
      return "the server refused access: the url may need a token, or its token has expired; renew it in the manifest";
    }
    if (status == 404 || status == 410) {
      return "the file is not at that url: correct the url in the manifest";
    }
    if (status == 429) {
      return "the server limits requests: wait, then run the fetch again";
    }
    if (status >= 500) {
      return "the server failed: run the fetch again later";
    }
    return "check the url in the manifest";
  }

  /** {@code model 'tiny' file generator}, the way download messages name a file. */
  private static String name(ModelFile file) {
    return "model '" + file.model() + "' file " + file.role();
  }

  /** Removes the url and its query from an exception's text, in case a library put them there. */
  private static String scrub(String text, String url) {
    String clean = text.replace(url, redact(url));
    int query = url.indexOf('?');
    return query < 0 || query == url.length() - 1
        ? clean
        : clean.replace(url.substring(query + 1), "(query)");
  }
}
