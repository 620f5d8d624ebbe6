package org.imaginebot.app;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.imaginebot.engine.EngineConfig;
import org.imaginebot.models.ModelDownloader;
import org.imaginebot.models.ModelFile;
import org.imaginebot.models.ModelFileException;
import org.imaginebot.models.ModelFiles;
import org.imaginebot.models.ModelManifest;
import org.imaginebot.models.ModelSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code models list|verify|fetch}: the manifest's models, whether their files are right, and
 * downloading them.
 *
 * <p>{@code verify} and {@code fetch} exit with {@link ExitCodes#ENVIRONMENT} when a file is still
 * not right at the end; {@code fetch} goes on with the other files after one fails.
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description =
        "Lists, verifies and downloads the model files of the manifest (engine.manifest).",
    subcommands = {
      ModelsCommand.ListModels.class,
      ModelsCommand.Verify.class,
      ModelsCommand.Fetch.class
    })
final class ModelsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Map<String, String> env;
  private final PrintStream stdout;
  private final boolean terminal;

  ModelsCommand(Map<String, String> env, PrintStream stdout, boolean terminal) {
    this.env = env;
    this.stdout = stdout;
    this.terminal = terminal;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: list, verify or fetch");
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "One line per model: id, kind, image size, licence, and whether each file is present (not hashed).")
  static final class ListModels implements Callable<Integer> {

    @Mixin ConfigOptions configOptions;

    @ParentCommand ModelsCommand parent;

    @Override
    public Integer call() throws IOException {
      List<ModelSpec> models = parent.manifest(configOptions).all();
      int idWidth = models.stream().mapToInt(m -> m.id().length()).max().orElse(0);
      for (ModelSpec model : models) {
        List<String> files = new ArrayList<>();
        for (ModelFile file : model.files().values()) {
          files.add(
              file.role()
                  + " "
                  + (Files.isRegularFile(file.path())
                      ? "present " + DownloadProgress.size(Files.size(file.path()))
                      : "missing"));
        }
        String size = model.imageSize() == 0 ? "-" : model.imageSize() + "x" + model.imageSize();
        parent.stdout.printf(
            Locale.ROOT,
            "%-" + idWidth + "s  %-8s  %-9s  \"%s\"  %s%n",
            model.id(),
            model.kind().id(),
            size,
            model.licence(),
            String.join(", ", files));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Checks the SHA-256 of each file of the models (default: all) and says what to do about each bad one.",
        "Exit code 0 when every file is OK, 3 otherwise."
      })
  static final class Verify implements Callable<Integer> {

    @Parameters(
        paramLabel = "ID",
        arity = "0..*",
        description = "Model ids from the manifest (default: all).")
    List<String> ids = new ArrayList<>();

    @Mixin ConfigOptions configOptions;

    @ParentCommand ModelsCommand parent;

    @Override
    public Integer call() {
      List<ModelFile> files = files(select(parent.manifest(configOptions), ids));
      int width = files.stream().mapToInt(f -> label(f).length()).max().orElse(0);
      Map<State, Long> counts = new java.util.EnumMap<>(State.class);
      for (ModelFile file : files) {
        Check check = check(file);
        counts.merge(check.state(), 1L, Long::sum);
        String line =
            String.format(
                Locale.ROOT, "%-10s %-" + width + "s  %s", check.state(), label(file), file.path());
        parent.stdout.println(
            check.state() == State.OK ? line : line + ": " + check.detail() + "; " + remedy(check));
      }
      long ok = counts.getOrDefault(State.OK, 0L);
      StringBuilder summary =
          new StringBuilder(
              files.size() + (files.size() == 1 ? " file: " : " files: ") + ok + " OK");
      for (State state : List.of(State.MISSING, State.CORRUPT, State.UNREADABLE)) {
        long n = counts.getOrDefault(state, 0L);
        if (n > 0 || state != State.UNREADABLE) {
          summary.append(", ").append(n).append(' ').append(state.name().toLowerCase(Locale.ROOT));
        }
      }
      parent.stdout.println(summary);
      return ok == files.size() ? ExitCodes.OK : ExitCodes.ENVIRONMENT;
    }
  }

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = {
        "Downloads each missing or corrupt file of the models from its url in the manifest,",
        "resuming an interrupted download (<file>.part), and checks its SHA-256 before putting it in place.",
        "Exit code 0 when every file is in place, 3 otherwise."
      },
      footer = {"", "Example:", "  imagine-bot models fetch biggan-deep-256 clip-vit-b32"})
  static final class Fetch implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Model ids from the manifest.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", description = "Fetch the files of every model in the manifest.")
    boolean all;

    @Mixin ConfigOptions configOptions;

    @ParentCommand ModelsCommand parent;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (all == !ids.isEmpty()) {
        throw new IllegalArgumentException(
            all
                ? "give model ids or --all, not both; got --all and " + String.join(" ", ids)
                : "name the models to fetch, e.g. imagine-bot models fetch tiny, or give --all");
      }
      ModelManifest manifest = parent.manifest(configOptions);
      List<ModelFile> files = files(all ? manifest.all() : select(manifest, ids));
      ModelDownloader downloader = ModelDownloader.create();
      PrintStream out = parent.stdout;
      PrintWriter err = spec.commandLine().getErr();
      int fetched = 0;
      int present = 0;
      int failed = 0;
      for (ModelFile file : files) {
        Check check = check(file);
        if (check.state() == State.OK) {
          out.printf(Locale.ROOT, "ok %s: %s is already there%n", label(file), file.path());
          present++;
          continue;
        }
        if (check.state() == State.UNREADABLE) {
          err.println(
              "error: "
                  + file.path()
                  + " ("
                  + label(file)
                  + ") is "
                  + check.detail()
                  + "; remove it, then fetch again");
          failed++;
          continue;
        }
        if (file.url() != null) {
          out.printf(
              Locale.ROOT,
              "fetching %s from %s (%s)%n",
              label(file),
              ModelDownloader.redact(file.url()),
              check.state().name().toLowerCase(Locale.ROOT));
        }
        DownloadProgress progress =
            new DownloadProgress(out, parent.terminal, System::nanoTime, label(file));
        try {
          ModelDownloader.Result result = downloader.fetch(file, progress);
          progress.finish();
          out.printf(
              Locale.ROOT,
              "fetched %s: %s to %s%s%s, sha256 OK%n",
              label(file),
              DownloadProgress.size(result.bytes()),
              file.path(),
              result.resumedFrom() > 0
                  ? " (resumed after " + DownloadProgress.size(result.resumedFrom()) + ")"
                  : "",
              result.rangeIgnored()
                  ? " (the server ignored the resume request; downloaded it whole)"
                  : "");
          fetched++;
        } catch (ModelFileException e) {
          progress.finish();
          err.println("error: " + e.getMessage());
          failed++;
        }
      }
      out.printf(
          Locale.ROOT, "%d fetched, %d already there, %d failed%n", fetched, present, failed);
      return failed == 0 ? ExitCodes.OK : ExitCodes.ENVIRONMENT;
    }
  }

  private ModelManifest manifest(ConfigOptions options) {
    EngineConfig engine = options.load(env, Map.of()).engine();
    return ModelManifest.load(engine.manifest(), engine.modelsDir());
  }

  /**
   * The models named by {@code ids} in the given order, each once; all of them when there are no
   * ids.
   */
  static List<ModelSpec> select(ModelManifest manifest, List<String> ids) {
    if (ids.isEmpty()) {
      return manifest.all();
    }
    Map<String, ModelSpec> byId =
        manifest.all().stream()
            .collect(
                Collectors.toMap(ModelSpec::id, m -> m, (a, b) -> a, java.util.LinkedHashMap::new));
    List<ModelSpec> chosen = new ArrayList<>();
    for (String id : new LinkedHashSet<>(ids)) {
      ModelSpec model = byId.get(id);
      if (model == null) {
        throw new IllegalArgumentException(
            "unknown model '"
                + id
                + "'; models in the manifest: "
                + String.join(", ", byId.keySet()));
      }
      chosen.add(model);
    }
    return chosen;
  }

  private static List<ModelFile> files(List<ModelSpec> models) {
    return models.stream().flatMap(m -> m.files().values().stream()).toList();
  }

  /** {@code tiny/generator}: model and role. */
  private static String label(ModelFile file) {
    return file.model() + "/" + file.role();
  }

  /** How a file stands against the manifest. */
  enum State {
    OK,
    MISSING,
    CORRUPT,
    UNREADABLE
  }

  /** A file's state and, when it is not OK, what is wrong in a few words. */
  record Check(ModelFile file, State state, String detail) {}

  static Check check(ModelFile file) {
    try {
      ModelFiles.verify(file);
      return new Check(file, State.OK, "");
    } catch (ModelFileException e) {
      if (e.actualSha256() != null) {
        return new Check(
            file, State.CORRUPT, "sha256 is " + e.actualSha256() + ", expected " + file.sha256());
      }
      if (!Files.exists(file.path(), LinkOption.NOFOLLOW_LINKS)) {
        return new Check(file, State.MISSING, "missing");
      }
      return new Check(
          file,
          State.UNREADABLE,
          Files.isRegularFile(file.path())
              ? "cannot be read (" + e.getCause() + ")"
              : "not a regular file");
    }
  }

  /** What to do about a file that is not OK: fetch it when the manifest has a url, else make it. */
  static String remedy(Check check) {
    ModelFile file = check.file();
    if (file.url() != null) {
      return "run `imagine-bot models fetch " + file.model() + "`";
    }
    if (file.source() == null) {
      return "put the right file there";
    }
    return (check.state() == State.MISSING ? "make it with " : "make it again with ")
        + file.source();
  }
}
