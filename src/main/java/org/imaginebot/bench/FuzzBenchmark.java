package org.imaginebot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.imaginebot.bot.ImagineService;
import org.imaginebot.bot.JobListener;
import org.imaginebot.bot.Requester;
import org.imaginebot.bot.Submission;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.engine.Progress;
import org.imaginebot.queue.JobQueue;

/**
 * {@code bench fuzz}: {@link FuzzCases} through the request parser and the core ({@link
 * ImagineService#submit(Requester, String, JobListener)}, what Slack's text and the command line go
 * through), on a core whose queue runs nothing, so every admitted job stays in the store.
 *
 * <p>Each case must come back as a submission (never an exception): refused with a {@link
 * FuzzAnswers clear} message and nothing told to its listener, or queued, or cached. Afterwards the
 * store must hold exactly what was admitted: one job row and one reply address per job queued (not
 * per request that joined one), the daily quota counted once per job, the stored requests equal to
 * the queued ones (nothing mangled on the way to the database), and no settings, audit entries or
 * button references written.
 */
public final class FuzzBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Failures printed with their input; the rest are counted. */
  private static final int FAILURES_SHOWN = 20;

  /**
   * @param seed seed of the cases and of who asks
   * @param cases how many commands
   * @param users how many users ask, spread over {@code scopes} servers
   * @param dailyImagesPerUser the core's daily quota (0 = none): with one, each queued job counts
   *     once in {@code quota_usage}
   */
  public record Settings(long seed, int cases, int users, int scopes, int dailyImagesPerUser) {
    public Settings {
      if (cases < 1) {
        throw new IllegalArgumentException("cases must be at least 1, got " + cases);
      }
      if (users < 1 || scopes < 1) {
        throw new IllegalArgumentException(
            "users and scopes must be at least 1, got " + users + " and " + scopes);
      }
    }
  }

  private FuzzBenchmark() {}

  /**
   * Runs the cases and checks the store.
   *
   * @param queue the queue behind {@code imagine}, paused or with no workers: nothing may run
   * @param dataSource the database behind both
   * @param log gets the seed first, then each failure with the input that caused it
   * @return the figures; {@code cases}, {@code uncaught}, {@code unanswered} and {@code seed} first
   */
  public static ObjectNode run(
      Settings settings,
      ImagineService imagine,
      JobQueue queue,
      DataSource dataSource,
      Consumer<String> log) {
    Objects.requireNonNull(imagine, "imagine");
    log.accept(
        "fuzz: seed "
            + settings.seed()
            + ", "
            + settings.cases()
            + " cases (repeat with --seed "
            + settings.seed()
            + ")");
    Map<String, Long> before = FuzzStore.counts(dataSource);
    FuzzCases cases = FuzzCases.seeded(settings.seed());
    SplittableRandom who = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
    Tally tally = new Tally(log);
    long start = System.nanoTime();
    for (int i = 0; i < settings.cases(); i++) {
      FuzzCase c = cases.next();
      int user = who.nextInt(settings.users());
      Requester requester =
          new Requester(
              "fuzz-user-" + user, "fuzz-guild-" + user % settings.scopes(), "fuzz-channel", "cli");
      tally.kind(c.kind());
      Heard heard = new Heard();
      Submission submission;
      try {
        submission = imagine.submit(requester, c.line(), heard);
      } catch (RuntimeException | StackOverflowError e) {
        tally.uncaught(c, e);
        continue;
      }
      tally.answer(c, submission, heard);
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    Map<String, Long> after = FuzzStore.counts(dataSource);
    long admitted = tally.queued - tally.joined;
    ObjectNode persisted = JSON.createObjectNode();
    for (String table : FuzzStore.TABLES) {
      persisted.put(table, after.get(table) - before.get(table));
    }
    long quotaUsed = after.get("quota_used") - before.get("quota_used");
    persisted.put("quota_used", quotaUsed);
    int differing = FuzzStore.differing(queue, dataSource, log);
    persisted.put("stored_requests_differing", differing);
    long expectedQuota = settings.dailyImagesPerUser() > 0 ? admitted : 0;
    int wrong = 0;
    wrong += check(log, "job rows", persisted.get("jobs").asLong(), admitted);
    wrong += check(log, "reply addresses", persisted.get("job_reply").asLong(), admitted);
    wrong += check(log, "quota counted", quotaUsed, expectedQuota);
    wrong += check(log, "settings rows", persisted.get("settings_override").asLong(), 0);
    wrong += check(log, "audit rows", persisted.get("settings_audit").asLong(), 0);
    wrong += check(log, "button references", persisted.get("action_ref").asLong(), 0);
    wrong += check(log, "saved defaults", persisted.get("user_prefs").asLong(), 0);
    wrong += check(log, "stored requests that differ from the queued ones", differing, 0);

    ObjectNode json = JSON.createObjectNode();
    json.put("cases", settings.cases());
    json.put("uncaught", tally.uncaught);
    json.put("unanswered", tally.unanswered);
    json.put("seed", settings.seed());
    json.put("bench", "fuzz");
    json.put("target", "core");
    json.put("queued", tally.queued);
    json.put("joined", tally.joined);
    json.put("cached", tally.cached);
    json.put("refused", tally.refused);
    json.put("persisted_wrongly", wrong);
    json.set("persisted", persisted);
    json.set("refusal_kinds", JSON.valueToTree(tally.refusalKinds));
    json.set("problems", JSON.valueToTree(tally.problems));
    json.set("kinds", JSON.valueToTree(tally.kinds));
    json.put("seconds", Math.round(seconds * 100) / 100.0);
    return json;
  }

  private static int check(Consumer<String> log, String what, long got, long expected) {
    if (got == expected) {
      return 0;
    }
    log.accept("fuzz: persisted wrongly: " + what + " " + got + ", expected " + expected);
    return 1;
  }

  /** What a listener of one submission heard. */
  private static final class Heard implements JobListener {
    volatile int events;

    @Override
    public void queued(int position) {
      events++;
    }

    @Override
    public void started() {
      events++;
    }

    @Override
    public void progress(Progress progress) {
      events++;
    }

    @Override
    public void finished(CachedImage image, boolean cached) {
      events++;
    }

    @Override
    public void failed(String message) {
      events++;
    }

    @Override
    public void cancelled() {
      events++;
    }
  }

  /** The counts of one run. */
  private static final class Tally {
    final Consumer<String> log;
    final Map<String, Integer> kinds = new TreeMap<>();
    final Map<String, Integer> refusalKinds = new TreeMap<>();
    final Map<String, Integer> problems = new TreeMap<>();
    int uncaught;
    int unanswered;
    int queued;
    int joined;
    int cached;
    int refused;
    int failures;

    Tally(Consumer<String> log) {
      this.log = log;
    }

    void kind(String kind) {
      kinds.merge(kind, 1, Integer::sum);
    }

    void uncaught(FuzzCase c, Throwable e) {
      uncaught++;
      fail(c, "uncaught " + e.getClass().getName() + ": " + e.getMessage());
    }

    void answer(FuzzCase c, Submission submission, Heard heard) {
      if (submission instanceof Submission.Refused r) {
        refused++;
        refusalKinds.merge(r.refusal().kind().tag(), 1, Integer::sum);
        String problem = FuzzAnswers.problem(r.refusal().message()).orElse(null);
        if (problem == null && heard.events > 0) {
          problem = "the listener of a refused request heard " + heard.events + " events";
        }
        if (problem != null) {
          unanswered++;
          problems.merge(problem, 1, Integer::sum);
          fail(c, problem + " in " + FuzzCase.literal(r.refusal().message(), 300));
        }
      } else if (submission instanceof Submission.Queued q) {
        queued++;
        joined += q.joined() ? 1 : 0;
      } else if (submission instanceof Submission.Cached) {
        cached++;
      } else {
        unanswered++;
        fail(c, "no submission");
      }
    }

    private void fail(FuzzCase c, String what) {
      failures++;
      if (failures <= FAILURES_SHOWN) {
        log.accept(
            "fuzz: case "
                + c.index()
                + " ("
                + c.kind()
                + "): "
                + what
                + "; input "
                + FuzzCase.literal(c.line(), 500));
      } else if (failures == FAILURES_SHOWN + 1) {
        log.accept("fuzz: more failures are counted, not shown");
      }
    }
  }
}
