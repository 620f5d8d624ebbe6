package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imaginebot.app.Cli.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models list|verify|fetch} through the real command line, against a local HTTP server. */
final class ModelsCommandTest {

  private static final byte[] GENERATOR = randomBytes(200_000, 1);
  private static final byte[] IMAGE = randomBytes(30_000, 2);
  private static final byte[] TEXT = randomBytes(20_000, 3);

  @TempDir Path dir;

  private FileServer server;
  private Path models;

  @BeforeEach
  void start() throws IOException {
    server = new FileServer();
    server.files.put("generator.pt", GENERATOR);
    server.files.put("image.pt", IMAGE);
    models = dir.resolve("models");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void list_showsEachModelWithKindSizeLicenceAndFiles() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));
    put("enc/image.pt", IMAGE);

    Outcome run = cli("models", "list");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(2);
    assertThat(run.out().lines().toList().get(0))
        .startsWith("enc  clip")
        .contains("\"MIT (test weights)\"")
        .endsWith("image present 29.3 KiB, text missing");
    assertThat(run.out().lines().toList().get(1))
        .startsWith("gen  biggan")
        .contains("64x64")
        .contains("\"Apache-2.0 (test)\"")
        .endsWith("generator missing");
  }

  @Test
  void verify_reportsOkMissingAndCorrupt_withWhatToDo_andExitsThree() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));
    put("enc/image.pt", IMAGE);
    put("enc/text.pt", IMAGE);

    Outcome run = cli("models", "verify");

    assertThat(run.code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(run.out())
        .containsPattern(
            "OK +enc/image +" + Pattern.quote(models.resolve("enc/image.pt").toString()) + "\n");
    assertThat(run.out())
        .contains("enc/text")
        .contains(
            ": sha256 is "
                + sha256(IMAGE)
                + ", expected "
                + sha256(TEXT)
                + "; make it again with scripts/make_enc.py");
    assertThat(run.out()).containsPattern("CORRUPT +enc/text");
    assertThat(run.out())
        .containsPattern(
            "MISSING +gen/generator +"
                + Pattern.quote(models.resolve("gen/generator.pt").toString())
                + ": missing; run `imagine-bot models fetch gen`");
    assertThat(run.out()).endsWith("3 files: 1 OK, 1 missing, 1 corrupt\n");
  }

  @Test
  void verify_givenIds_checksOnlyThose_andExitsZeroWhenAllAreOk() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));
    put("enc/image.pt", IMAGE);
    put("enc/text.pt", TEXT);

    Outcome run = cli("models", "verify", "enc");

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .doesNotContain("gen/generator")
        .endsWith("2 files: 2 OK, 0 missing, 0 corrupt\n");
  }

  @Test
  void verify_missingFileWithoutUrl_saysHowToMakeIt() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));
    put("enc/image.pt", IMAGE);

    Outcome run = cli("models", "verify", "enc");

    assertThat(run.code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(run.out()).contains(": missing; make it with scripts/make_enc.py");
  }

  @Test
  void verify_unknownModel_listsTheModels() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));

    Outcome run = cli("models", "verify", "nope");

    assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .isEqualTo("error: unknown model 'nope'; models in the manifest: enc, gen\n");
  }

  @Test
  void fetch_downloadsVerifiesAndPutsTheFileInPlace_thenSkipsIt() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));

    Outcome run = cli("models", "fetch", "gen");
    Outcome again = cli("models", "fetch", "gen");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(Files.readAllBytes(models.resolve("gen/generator.pt"))).isEqualTo(GENERATOR);
    assertThat(models.resolve("gen/generator.pt.part")).doesNotExist();
    assertThat(run.out())
        .contains("fetching gen/generator from " + server.base() + "/generator.pt (missing)")
        .contains(
            "fetched gen/generator: 195.3 KiB to "
                + models.resolve("gen/generator.pt")
                + ", sha256 OK")
        .endsWith("1 fetched, 0 already there, 0 failed\n")
        .doesNotContain("SECRET");
    assertThat(server.ranges).containsExactly("");
    assertThat(again.code()).isZero();
    assertThat(again.out())
        .contains("ok gen/generator")
        .contains("0 fetched, 1 already there, 0 failed");
    assertThat(server.ranges).hasSize(1);
    assertThat(cli("models", "verify", "gen").code()).isZero();
  }

  @Test
  void fetch_withAPart_resumesWithARangeRequest_andGetsOnlyTheRest() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));
    put("gen/generator.pt.part", Arrays.copyOf(GENERATOR, 70_000));

    Outcome run = cli("models", "fetch", "gen");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(server.ranges).containsExactly("bytes=70000-");
    assertThat(server.sent.get()).isEqualTo(GENERATOR.length - 70_000);
    assertThat(Files.readAllBytes(models.resolve("gen/generator.pt"))).isEqualTo(GENERATOR);
    assertThat(models.resolve("gen/generator.pt.part")).doesNotExist();
    assertThat(run.out()).contains("(resumed after 68.4 KiB)");
  }

  @Test
  void fetch_serverIgnoringRange_startsThePartAgain() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));
    server.honourRange = false;
    put("gen/generator.pt.part", randomBytes(70_000, 9));

    Outcome run = cli("models", "fetch", "gen");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(server.ranges).containsExactly("bytes=70000-");
    assertThat(server.sent.get()).isEqualTo(GENERATOR.length);
    assertThat(Files.readAllBytes(models.resolve("gen/generator.pt"))).isEqualTo(GENERATOR);
    assertThat(run.out()).contains("the server ignored the resume request");
  }

  @Test
  void fetch_partOfAnotherFile_isDownloadedWholeOnceMore() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));
    put("gen/generator.pt.part", randomBytes(70_000, 9));

    Outcome run = cli("models", "fetch", "gen");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(server.ranges).containsExactly("bytes=70000-", "");
    assertThat(Files.readAllBytes(models.resolve("gen/generator.pt"))).isEqualTo(GENERATOR);
  }

  @Test
  void fetch_completePart_isRefusedARange_andPutInPlace() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));
    put("gen/generator.pt.part", GENERATOR);

    Outcome run = cli("models", "fetch", "gen");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(server.ranges).containsExactly("bytes=200000-");
    assertThat(server.sent.get()).isZero();
    assertThat(Files.readAllBytes(models.resolve("gen/generator.pt"))).isEqualTo(GENERATOR);
  }

  @Test
  void fetch_corruptFile_isReplaced() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));
    put("gen/generator.pt", IMAGE);

    Outcome run = cli("models", "fetch", "gen");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("(corrupt)");
    assertThat(Files.readAllBytes(models.resolve("gen/generator.pt"))).isEqualTo(GENERATOR);
  }

  @Test
  void fetch_wrongSha_deletesTheDownload_andSaysExpectedAndActual() throws IOException {
    String expected = "ab".repeat(32);
    writeManifest(expected, server.url("generator.pt"));

    Outcome run = cli("models", "fetch", "gen");

    assertThat(run.code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(run.err())
        .isEqualTo(
            "error: downloaded "
                + server.base()
                + "/generator.pt for model 'gen' file generator"
                + " has sha256 "
                + sha256(GENERATOR)
                + ", expected "
                + expected
                + "; deleted the download."
                + " The url serves another file than the manifest names: correct the url or the sha256 in the manifest\n");
    assertThat(models.resolve("gen/generator.pt")).doesNotExist();
    assertThat(models.resolve("gen/generator.pt.part")).doesNotExist();
    assertThat(run.out()).endsWith("0 fetched, 0 already there, 1 failed\n");
  }

  @Test
  void fetch_fileWithoutUrl_namesModelFileAndSource_andStillFetchesTheOthers() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));

    Outcome run = cli("models", "fetch", "enc");

    assertThat(run.code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(run.err())
        .isEqualTo(
            "error: model 'enc' file text ("
                + models.resolve("enc/text.pt")
                + ") has no url in the manifest, so it cannot be fetched; make it with scripts/make_enc.py\n");
    assertThat(Files.readAllBytes(models.resolve("enc/image.pt"))).isEqualTo(IMAGE);
    assertThat(run.out()).endsWith("1 fetched, 0 already there, 1 failed\n");
  }

  @Test
  void fetch_httpError_namesTheUrlWithoutItsQuery_theStatus_andWhatToDo() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("moved.pt"));

    Outcome run = cli("models", "fetch", "--all");

    assertThat(run.code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(run.err())
        .contains(
            "error: GET "
                + server.base()
                + "/moved.pt for model 'gen' file generator answered"
                + " HTTP 404; the file is not at that url: correct the url in the manifest\n");
    assertThat(run.out() + run.err()).doesNotContain("SECRET").doesNotContain("token");
    assertThat(models.resolve("gen/generator.pt")).doesNotExist();
  }

  @Test
  void fetch_neitherIdsNorAll_isAUsageError() throws IOException {
    writeManifest(sha256(GENERATOR), server.url("generator.pt"));

    Outcome none = cli("models", "fetch");
    Outcome both = cli("models", "fetch", "gen", "--all");

    assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err())
        .contains("name the models to fetch, e.g. imagine-bot models fetch tiny, or give --all");
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("give model ids or --all, not both");
  }

  @Test
  void models_withoutSubcommand_namesThem() {
    Outcome run = cli("models");

    assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("name a subcommand: list, verify or fetch");
  }

  private Outcome cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (args.length > 1) {
      all.addAll(
          List.of(
              "--set",
              "engine.manifest=" + dir.resolve("models.yaml"),
              "--set",
              "engine.modelsDir=" + models));
    }
    return Cli.run(all);
  }

  /**
   * A CLIP model {@code enc} (image with a url, text without) and a generator {@code gen} steered
   * by it.
   */
  private void writeManifest(String generatorSha, String generatorUrl) throws IOException {
    Files.writeString(
        dir.resolve("models.yaml"),
        """
        models:
          - id: enc
            kind: clip
            licence: "MIT (test weights)"
            source: scripts/make_enc.py
            files:
              image: { path: enc/image.pt, sha256: %s, url: "%s" }
              text: { path: enc/text.pt, sha256: %s }
          - id: gen
            kind: biggan
            clip: enc
            imageSize: 64
            numLatents: 5
            zDim: 128
            numClasses: 1000
            licence: "Apache-2.0 (test)"
            source: scripts/export
            files:
              generator: { path: gen/generator.pt, sha256: %s, url: "%s" }
        """
            .formatted(
                sha256(IMAGE), server.url("image.pt"), sha256(TEXT), generatorSha, generatorUrl),
        StandardCharsets.UTF_8);
  }

  private void put(String path, byte[] bytes) throws IOException {
    Path file = models.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Serves {@link #files} by name, honouring {@code Range: bytes=N-} unless told not to, and counts
   * what it sends.
   */
  private static final class FileServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** The Range header of each request for a file, "" when it had none. */
    final List<String> ranges = new CopyOnWriteArrayList<>();

    final AtomicLong sent = new AtomicLong();
    volatile boolean honourRange = true;
    private final HttpServer http;

    FileServer() throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      http.createContext("/", this::handle);
      http.start();
    }

    String base() {
      return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** The file's url with a token in its query, which no message may show. */
    String url(String name) {
      return base() + "/" + name + "?token=SECRET42";
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String range = exchange.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "" : range);
        byte[] body = files.get(exchange.getRequestURI().getPath().substring(1));
        if (body == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        int from = 0;
        int status = 200;
        Matcher m = RANGE.matcher(range == null ? "" : range);
        if (honourRange && m.matches()) {
          from = Integer.parseInt(m.group(1));
          if (from >= body.length) {
            exchange.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
            exchange.sendResponseHeaders(416, -1);
            return;
          }
          status = 206;
          exchange
              .getResponseHeaders()
              .add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        }
        exchange.sendResponseHeaders(status, body.length - from);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body, from, body.length - from);
        }
        sent.addAndGet(body.length - from);
      }
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }
}
