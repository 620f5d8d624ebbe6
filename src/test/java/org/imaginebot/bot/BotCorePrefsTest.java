package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.imaginebot.bot.CoreFixture.ALICE;
import static org.imaginebot.bot.CoreFixture.BOB;
import static org.imaginebot.bot.CoreFixture.CAROL_OTHER_GUILD;
import static org.imaginebot.bot.CoreFixture.MODERATOR;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.imaginebot.app.BotApplication;
import org.imaginebot.db.TestDatabase;
import org.imaginebot.limits.Refusal;
import org.imaginebot.limits.RefusalKind;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.RequestException;
import org.imaginebot.request.RequestParser;
import org.imaginebot.request.Strategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each user's own defaults ({@code /imagine-prefs}) through the core as adapters use it: saved per
 * user and scope, checked like a request, filling only what a request leaves out, kept across
 * restarts and shown by {@code /imagine-info}.
 */
final class BotCorePrefsTest {

  private static final PrefsChange STYLEGAN_SEARCH_7 = set("tiny-stylegan", "search", 7);

  private static final UserPrefs STYLEGAN_SEARCH_7_SAVED =
      new UserPrefs(Optional.of("tiny-stylegan"), Optional.of(Strategy.SEARCH), OptionalInt.of(7));

  @TempDir Path dir;

  private static PrefsChange set(String model, String strategy, Integer steps) {
    return new PrefsChange(
        false,
        Optional.ofNullable(model),
        Optional.ofNullable(strategy),
        steps == null ? OptionalInt.empty() : OptionalInt.of(steps));
  }

  private static GenerationRequest resolve(BotApplication core, Requester who, String line) {
    return core.imagine().resolve(who, RequestParser.parse(line), () -> 42L);
  }

  @Test
  void savedDefaults_fillOnlyWhatARequestLeavesOut_explicitOptionsWin() {
    try (BotApplication core = new CoreFixture(dir).start(new ScriptedEngine())) {
      PrefsView view =
          core.imagine().changePrefs(ALICE, set("TINY-StyleGAN", " Search ", 7)); // as typed

      assertThat(view.saved())
          .isEqualTo(
              new UserPrefs(
                  Optional.of("tiny-stylegan"), Optional.of(Strategy.SEARCH), OptionalInt.of(7)));
      GenerationRequest filled = resolve(core, ALICE, "a red bicycle");
      assertThat(filled.model()).isEqualTo("tiny-stylegan");
      assertThat(filled.strategy()).isEqualTo(Strategy.SEARCH);
      assertThat(filled.steps()).isEqualTo(7);
      GenerationRequest explicit =
          resolve(core, ALICE, "a red bicycle --model tiny --strategy adam --steps 3");
      assertThat(explicit.model()).isEqualTo("tiny");
      assertThat(explicit.strategy()).isEqualTo(Strategy.ADAM);
      assertThat(explicit.steps()).isEqualTo(3);
      GenerationRequest mixed = resolve(core, ALICE, "a red bicycle --steps 4");
      assertThat(mixed.model()).isEqualTo("tiny-stylegan");
      assertThat(mixed.strategy()).isEqualTo(Strategy.SEARCH);
      assertThat(mixed.steps()).isEqualTo(4);
      // Another user, and the same user in another scope, keep the scope's defaults.
      GenerationRequest bobs = resolve(core, BOB, "a red bicycle");
      assertThat(bobs.model()).isEqualTo("tiny");
      assertThat(bobs.strategy()).isEqualTo(Strategy.ADAM);
      assertThat(bobs.steps()).isEqualTo(100);
      Requester aliceElsewhere = new Requester("alice", "guild-2", "chan-9", "discord");
      assertThat(resolve(core, aliceElsewhere, "a red bicycle").model()).isEqualTo("tiny");
      assertThat(core.imagine().prefs(BOB).saved()).isEqualTo(UserPrefs.NONE);
    }
  }

  @Test
  void aRequestFilledFromDefaults_isTheExplicitRequest_soTheSameOneIsAnsweredFromTheCache()
      throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    try (BotApplication core = new CoreFixture(dir).start(engine)) {
      core.imagine().changePrefs(ALICE, set(null, "search", 2));
      assertThat(resolve(core, ALICE, "a red bicycle"))
          .isEqualTo(resolve(core, BOB, "a red bicycle --strategy search --steps 2"));
      RecordingListener first = new RecordingListener();
      core.imagine().submit(ALICE, "a red bicycle", first);
      assertThat(first.awaitEnd().kind()).isEqualTo("finished");
      assertThat(first.events).contains("step 2").doesNotContain("step 3");
      RecordingListener second = new RecordingListener();

      Submission again =
          core.imagine().submit(BOB, "a  Red bicycle --steps 2 --strategy search", second);

      assertThat(again)
          .isInstanceOfSatisfying(
              Submission.Cached.class,
              c -> assertThat(c.image().seed()).isEqualTo(first.end.join().image().seed()));
      assertThat(engine.calls).hasValue(1);
    }
  }

  @Test
  void badDefaults_areRefusedInUserWords_andNothingIsSaved() {
    try (BotApplication core =
        new CoreFixture(dir).set("limits.maxSteps", "20").start(new ScriptedEngine())) {
      core.moderation().set(MODERATOR, "guild-1", "models", "tiny");
      core.moderation().set(MODERATOR, "guild-1", "strategies", "adam, search");
      core.imagine().changePrefs(ALICE, set(null, null, 5));

      assertRefused(
          core,
          set("biggan-9000", null, null),
          "There is no model called biggan-9000; models: tiny, tiny-stylegan.");
      assertRefused(
          core,
          set("tiny-stylegan", null, null),
          "The model tiny-stylegan is not allowed on this server; allowed: tiny.");
      assertRefused(
          core,
          set(null, "nope", null),
          "unknown strategy 'nope'; allowed: adam, search, auto, evolve.");
      assertRefused(
          core,
          set(null, "evolve", null),
          "The evolve strategy is not allowed on this server; allowed: adam, search.");
      assertRefused(core, set(null, null, 21), "steps must be between 1 and 20 here, got 21.");
      assertRefused(core, set(null, null, 0), "steps must be between 1 and 20 here, got 0.");
      assertRefused(
          core,
          new PrefsChange(true, Optional.of("tiny"), Optional.empty(), OptionalInt.of(99)),
          "steps must be between 1 and 20 here, got 99.");

      assertThat(core.imagine().prefs(ALICE).saved())
          .as("neither the refused values nor the refused clear changed anything")
          .isEqualTo(new UserPrefs(Optional.empty(), Optional.empty(), OptionalInt.of(5)));
    }
  }

  private static void assertRefused(BotApplication core, PrefsChange change, String message) {
    assertThatExceptionOfType(PrefsException.class)
        .isThrownBy(() -> core.imagine().changePrefs(ALICE, change))
        .withMessage(message);
  }

  @Test
  void values_areAddedToTheSavedOnes_clearRemovesThem_clearWithValuesKeepsOnlyThose() {
    try (BotApplication core = new CoreFixture(dir).start(new ScriptedEngine())) {
      core.imagine().changePrefs(ALICE, set("tiny-stylegan", null, null));
      PrefsView both = core.imagine().changePrefs(ALICE, set(null, "search", 7));
      assertThat(both.saved()).isEqualTo(STYLEGAN_SEARCH_7_SAVED);

      PrefsView cleared = core.imagine().clearPrefs(ALICE);

      assertThat(cleared.saved()).isEqualTo(UserPrefs.NONE);
      assertThat(cleared.applied()).isEqualTo(core.imagine().bounds("guild-1"));
      assertThat(resolve(core, ALICE, "a cat").model()).isEqualTo("tiny");

      core.imagine().changePrefs(ALICE, STYLEGAN_SEARCH_7);
      PrefsView replaced =
          core.imagine()
              .changePrefs(
                  ALICE,
                  new PrefsChange(true, Optional.empty(), Optional.empty(), OptionalInt.of(9)));
      assertThat(replaced.saved())
          .isEqualTo(new UserPrefs(Optional.empty(), Optional.empty(), OptionalInt.of(9)));
      assertThat(core.imagine().changePrefs(ALICE, PrefsChange.SHOW).saved())
          .isEqualTo(replaced.saved());
    }
  }

  @Test
  void savedDefaults_outliveARestart_andInfoShowsThem() {
    CoreFixture fixture = new CoreFixture(dir);
    try (BotApplication core = fixture.start(new ScriptedEngine())) {
      core.imagine().changePrefs(ALICE, STYLEGAN_SEARCH_7);
    }

    try (BotApplication restarted = fixture.start(new ScriptedEngine())) {
      GenerationRequest filled = resolve(restarted, ALICE, "a cat");
      UserInfo info = restarted.imagine().info(ALICE);

      assertThat(filled.model()).isEqualTo("tiny-stylegan");
      assertThat(filled.steps()).isEqualTo(7);
      assertThat(info.prefs().saved()).isEqualTo(STYLEGAN_SEARCH_7_SAVED);
      assertThat(UserInfoText.render(info, "on this server", t -> t))
          .contains(
              "\nYour defaults on this server: model tiny-stylegan (yours), strategy search"
                  + " (yours), 7 steps (yours), one image (default).\nToday: ");
      assertThat(UserInfoText.render(restarted.imagine().info(BOB), "on this server", t -> t))
          .contains(
              "You have no defaults of your own on this server: /imagine uses model tiny, strategy"
                  + " adam, 100 steps, one image.");
      assertThat(restarted.imagine().info(CAROL_OTHER_GUILD).prefs().saved())
          .isEqualTo(UserPrefs.NONE);
    }
  }

  @Test
  void aGridDefault_makesContactSheetsOfAdamRuns_only_andAGivenGridWins() {
    try (BotApplication core = new CoreFixture(dir).start(new ScriptedEngine())) {
      PrefsView saved = core.imagine().changePrefs(ALICE, PrefsChange.parse("grid=4 steps=8"));

      assertThat(saved.saved().grid()).hasValue(4);
      assertThat(resolve(core, ALICE, "a cat").grid()).isEqualTo(4);
      assertThat(resolve(core, ALICE, "a cat --grid 1").grid()).isZero();
      assertThat(resolve(core, ALICE, "a cat --strategy search").grid())
          .as("a sheet is of adam runs: the default does not apply")
          .isZero();
      assertThat(resolve(core, BOB, "a cat").grid()).isZero();
      assertThat(PrefsText.line(core.imagine().prefs(ALICE), "on this server", t -> t))
          .endsWith("8 steps (yours), a contact sheet of 4 (yours).");
      core.imagine().changePrefs(ALICE, PrefsChange.parse("strategy=search"));
      assertThat(PrefsText.line(core.imagine().prefs(ALICE), "on this server", t -> t))
          .endsWith("one image (your sheet needs the adam strategy).");
      assertThatThrownBy(() -> core.imagine().changePrefs(ALICE, PrefsChange.parse("grid=3")))
          .isInstanceOf(PrefsException.class)
          .hasMessage("grid must be 1 (one image) or 4 (a contact sheet), got 3.");
    }
  }

  @Test
  void aDefaultTheServerNoLongerAllows_isNotUsed_andItsLineSaysWhy() {
    try (BotApplication core = new CoreFixture(dir).start(new ScriptedEngine())) {
      core.imagine().changePrefs(ALICE, set("tiny-stylegan", "evolve", 300));
      core.moderation().set(MODERATOR, "guild-1", "models", "tiny");
      core.moderation().set(MODERATOR, "guild-1", "strategies", "adam, search");
      core.moderation().set(MODERATOR, "guild-1", "maxSteps", "50");

      GenerationRequest filled = resolve(core, ALICE, "a cat");
      String line = PrefsText.line(core.imagine().prefs(ALICE), "on this server", t -> t);

      assertThat(filled.model()).isEqualTo("tiny");
      assertThat(filled.strategy()).isEqualTo(Strategy.ADAM);
      assertThat(filled.steps()).as("cut to the new limit").isEqualTo(50);
      assertThat(line)
          .isEqualTo(
              "Your defaults on this server: model tiny (your tiny-stylegan is not allowed here"
                  + " now), strategy adam (your evolve is not allowed here now), 50 steps (your 300"
                  + " is over the limit of 50 here), one image (default).");
    }
  }

  @Test
  void databaseGone_aRequestNeedingTheDefaultsIsRefused_andTheyCannotBeChanged() {
    TestDatabase db = TestDatabase.h2(dir);
    CoreFixture fixture =
        new CoreFixture(dir).set("queue.database", db.url()).set("queue.connectTimeout", "PT0.5S");
    try (BotApplication core = fixture.start(new ScriptedEngine())) {
      core.settings().get(ALICE.scopeId()); // the guild's settings are known
      db.cut();

      Submission refused = core.imagine().submit(ALICE, "a cat", new RecordingListener());

      Refusal refusal = ((Submission.Refused) refused).refusal();
      assertThat(refusal.kind()).isEqualTo(RefusalKind.STORE_UNAVAILABLE);
      assertThat(refusal.message())
          .startsWith("The bot cannot read your saved defaults (/imagine-prefs) right now");
      assertThatExceptionOfType(RequestException.class)
          .isThrownBy(() -> resolve(core, ALICE, "a cat --steps 3"))
          .withMessageContaining("give the model, strategy and steps yourself");
      assertThat(resolve(core, ALICE, "a cat --model tiny --strategy adam --steps 3").steps())
          .as("a request naming all three needs no saved defaults")
          .isEqualTo(3);
      assertThatExceptionOfType(PrefsException.class)
          .isThrownBy(() -> core.imagine().changePrefs(ALICE, set(null, null, 5)))
          .withMessage(
              "The bot cannot reach its database right now, so your defaults were not read or"
                  + " changed \u2014 try again in a minute.");
      db.restore();
    }
  }
}
