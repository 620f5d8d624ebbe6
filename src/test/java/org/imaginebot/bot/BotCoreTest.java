package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.imaginebot.bot.CoreFixture.ALICE;
import static org.imaginebot.bot.CoreFixture.BOB;
import static org.imaginebot.bot.CoreFixture.CAROL_OTHER_GUILD;
import static org.imaginebot.bot.CoreFixture.MODERATOR;
import static org.imaginebot.bot.CoreFixture.randomSeed;
import static org.imaginebot.bot.CoreFixture.request;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.imaginebot.app.BotApplication;
import org.imaginebot.bot.RecordingListener.End;
import org.imaginebot.limits.Refusal;
import org.imaginebot.limits.RefusalKind;
import org.imaginebot.models.ModelFile;
import org.imaginebot.models.ModelFiles;
import org.imaginebot.queue.CancelResult;
import org.imaginebot.queue.JobId;
import org.imaginebot.render.Png;
import org.imaginebot.settings.SettingException;
import org.imaginebot.testing.LogCapture;
import org.imaginebot.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core as adapters use it: real queue, stores, settings, limits, cache and worker; a paced
 * engine.
 */
final class BotCoreTest {

  @TempDir Path dir;

  @Test
  void submit_runsTheJob_listenerHearsPositionStepsAndImage() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    try (BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener listener = new RecordingListener();

      Submission submission = core.imagine().submit(ALICE, request("a lighthouse", 3, 7), listener);

      assertThat(submission)
          .isInstanceOfSatisfying(
              Submission.Queued.class, q -> assertThat(q.position()).isEqualTo(1));
      End end = listener.awaitEnd();
      assertThat(end.kind()).isEqualTo("finished");
      assertThat(end.cached()).isFalse();
      assertThat(Png.decode(end.image().png()).getWidth()).isEqualTo(8);
      assertThat(listener.events)
          .containsExactly("queued 1", "started", "step 1", "step 2", "step 3", "finished");
    }
  }

  @Test
  void sameExplicitSeedAgain_isAnsweredFromTheCache_withoutAnEngineCall() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    CoreFixture fixture = new CoreFixture(dir);
    try (BotApplication core = fixture.start(engine)) {
      RecordingListener first = new RecordingListener();
      core.imagine().submit(ALICE, request("a lighthouse", 3, 7), first);
      first.awaitEnd();
      RecordingListener second = new RecordingListener();

      Submission again = core.imagine().submit(BOB, request("A  lighthouse", 3, 7), second);

      assertThat(again).isInstanceOf(Submission.Cached.class);
      assertThat(second.awaitEnd().cached()).isTrue();
      assertThat(second.awaitEnd().image()).isEqualTo(first.awaitEnd().image());
      assertThat(engine.calls).hasValue(1);
      assertThat(fixture.metrics.scrape())
          .contains("imagine_cache_hits_total{level=\"result\"} 1.0");
    }
  }

  @Test
  void randomSeeds_neverComeFromTheCacheNorShareARun() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    try (BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener first = new RecordingListener();
      RecordingListener second = new RecordingListener();
      core.imagine().submit(ALICE, randomSeed("a lighthouse", 2, 7), first);
      Submission reroll = core.imagine().submit(BOB, randomSeed("a lighthouse", 2, 7), second);

      assertThat(reroll)
          .isInstanceOfSatisfying(Submission.Queued.class, q -> assertThat(q.joined()).isFalse());
      first.awaitEnd();
      second.awaitEnd();
      assertThat(engine.calls).hasValue(2);
    }
  }

  @Test
  void twoIdenticalRequestsInFlight_runTheEngineOnce_andBothGetTheImage() throws Exception {
    ScriptedEngine engine = new ScriptedEngine().gated();
    try (BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener alice = new RecordingListener();
      RecordingListener bob = new RecordingListener();
      core.imagine().submit(ALICE, request("a lighthouse", 3, 7), alice);
      alice.awaitStarted();

      Submission joined = core.imagine().submit(BOB, request("a lighthouse", 3, 7), bob);
      engine.open();

      assertThat(joined)
          .isInstanceOfSatisfying(
              Submission.Queued.class,
              q -> {
                assertThat(q.joined()).isTrue();
                assertThat(q.position()).isZero();
              });
      assertThat(bob.awaitEnd().image()).isEqualTo(alice.awaitEnd().image());
      assertThat(bob.events).contains("step 3");
      assertThat(engine.calls).hasValue(1);
    }
  }

  @Test
  void ownerLeavingASharedJob_othersStillGetTheImage() throws Exception {
    ScriptedEngine engine = new ScriptedEngine().gated();
    try (BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener alice = new RecordingListener();
      RecordingListener bob = new RecordingListener();
      Submission.Queued job =
          (Submission.Queued) core.imagine().submit(ALICE, request("a lighthouse", 3, 7), alice);
      alice.awaitStarted();
      core.imagine().submit(BOB, request("a lighthouse", 3, 7), bob);

      CancelResult result = core.imagine().cancel(job.jobId(), "alice", false);
      engine.open();

      assertThat(result).isEqualTo(CancelResult.CANCELLED_RUNNING);
      assertThat(alice.awaitEnd().kind()).isEqualTo("cancelled");
      assertThat(bob.awaitEnd().kind()).isEqualTo("finished");
    }
  }

  @Test
  void perUserRateLimit_refusesWithTheLimitAndWhenToRetry() {
    ScriptedEngine engine = new ScriptedEngine().gated();
    try (BotApplication core =
        new CoreFixture(dir).set("limits.requestsPerMinute", "2").start(engine)) {
      core.imagine().submit(ALICE, randomSeed("one", 1, 1), new RecordingListener());
      core.imagine().submit(ALICE, randomSeed("two", 1, 2), new RecordingListener());

      Submission third =
          core.imagine().submit(ALICE, randomSeed("three", 1, 3), new RecordingListener());
      Submission bobsFirst =
          core.imagine().submit(BOB, randomSeed("three", 1, 3), new RecordingListener());

      Refusal refusal = ((Submission.Refused) third).refusal();
      assertThat(refusal.kind()).isEqualTo(RefusalKind.USER_RATE_LIMITED);
      assertThat(refusal.message())
          .startsWith("You can make 2 images per minute on this server; try again in ");
      assertThat(refusal.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(60));
      assertThat(bobsFirst).isInstanceOf(Submission.Queued.class);
      engine.open();
    }
  }

  @Test
  void dailyQuota_countsMadeImagesOnly_exemptsModerators_andOutlivesARestart() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    CoreFixture fixture = new CoreFixture(dir).set("limits.dailyImagesPerUser", "2");
    try (BotApplication core = fixture.start(engine)) {
      RecordingListener first = new RecordingListener();
      core.imagine().submit(ALICE, request("one", 1, 1), first);
      first.awaitEnd();
      // A repeat is the cached image: free.
      assertThat(core.imagine().submit(ALICE, request("one", 1, 1), new RecordingListener()))
          .isInstanceOf(Submission.Cached.class);
      RecordingListener second = new RecordingListener();
      core.imagine().submit(ALICE, request("two", 1, 2), second);
      second.awaitEnd();

      Submission third =
          core.imagine().submit(ALICE, request("three", 1, 3), new RecordingListener());
      Submission asModerator =
          core.imagine().submit(ALICE, request("four", 1, 4), new RecordingListener(), () -> true);

      Refusal refusal = ((Submission.Refused) third).refusal();
      assertThat(refusal.kind()).isEqualTo(RefusalKind.DAILY_QUOTA);
      assertThat(refusal.message())
          .startsWith("You have had your 2 images for today here, the daily limit;")
          .contains("starts again at 00:00 UTC");
      assertThat(asModerator).isInstanceOf(Submission.Queued.class);
      assertThat(core.imagine().submit(BOB, request("three", 1, 3), new RecordingListener()))
          .isInstanceOf(Submission.Queued.class);
    }

    try (BotApplication restarted = fixture.start(engine)) {
      Submission afterRestart =
          restarted.imagine().submit(ALICE, request("five", 1, 5), new RecordingListener());
      assertThat(((Submission.Refused) afterRestart).refusal().kind())
          .isEqualTo(RefusalKind.DAILY_QUOTA);
      // A moderator lifts the limit live.
      restarted.moderation().set(MODERATOR, "guild-1", "dailyImagesPerUser", "0");
      assertThat(restarted.imagine().submit(ALICE, request("five", 1, 5), new RecordingListener()))
          .isInstanceOf(Submission.Queued.class);
    }
  }

  @Test
  void info_showsTheUsersJobsWithPlaces_todaysQuotaUse_theLimits_andTheLoad() throws Exception {
    ScriptedEngine engine = new ScriptedEngine().gated();
    try (BotApplication core =
        new CoreFixture(dir).set("limits.dailyImagesPerUser", "5").start(engine)) {
      RecordingListener running = new RecordingListener();
      core.imagine().submit(ALICE, randomSeed("a <@U1> lighthouse", 3, 1), running);
      running.awaitStarted();
      core.imagine().submit(BOB, randomSeed("bob's", 3, 2), new RecordingListener());
      core.imagine().submit(ALICE, randomSeed("a harbour", 4, 3), new RecordingListener());

      UserInfo info = core.imagine().info(ALICE);
      String text = UserInfoText.render(info, "on this server", t -> t.replace("<", "&lt;"));

      assertThat(info.jobs()).extracting(QueueView.Entry::position).containsExactly(0, 2);
      assertThat(info.usedToday()).isEqualTo(2);
      assertThat(info.queued()).isEqualTo(2);
      assertThat(info.running()).isEqualTo(1);
      assertThat(text)
          .contains("Your jobs on this server:", "running — a &lt;@U1> lighthouse (3 steps")
          .contains("#2 in queue — a harbour (4 steps")
          .contains("Today: 2 of 5 images, counted until 00:00 UTC")
          .contains("Queue: 2 waiting, 1 running")
          .doesNotContain("bob's");
      assertThat(
              UserInfoText.render(core.imagine().info(CAROL_OTHER_GUILD), "on this server", t -> t))
          .startsWith("You have no jobs waiting or running on this server.")
          .contains("Today: 0 of 5 images");
      engine.open();
    }
  }

  @Test
  void guildRateLimit_refusesEveryoneOnceReached() {
    ScriptedEngine engine = new ScriptedEngine().gated();
    try (BotApplication core =
        new CoreFixture(dir).set("limits.scopeRequestsPerMinute", "1").start(engine)) {
      core.imagine().submit(ALICE, randomSeed("one", 1, 1), new RecordingListener());

      Submission bobs =
          core.imagine().submit(BOB, randomSeed("two", 1, 2), new RecordingListener());
      Submission otherGuild =
          core.imagine()
              .submit(CAROL_OTHER_GUILD, randomSeed("two", 1, 2), new RecordingListener());

      assertThat(((Submission.Refused) bobs).refusal().kind())
          .isEqualTo(RefusalKind.SCOPE_RATE_LIMITED);
      assertThat(((Submission.Refused) bobs).refusal().message())
          .contains("This server has reached its limit of 1 image per minute");
      assertThat(otherGuild).isInstanceOf(Submission.Queued.class);
      engine.open();
    }
  }

  @Test
  void queueFullRefusal_costsNoRatePermit() {
    CoreFixture fixture =
        new CoreFixture(dir)
            .set("limits.requestsPerMinute", "2")
            .set("limits.maxQueuedPerUser", "1");
    try (BotApplication core = fixture.start(new ScriptedEngine())) {
      core.moderation().pause(MODERATOR, "guild-1"); // jobs stay queued
      Submission first =
          core.imagine().submit(ALICE, randomSeed("one", 1, 1), new RecordingListener());
      Submission full =
          core.imagine().submit(ALICE, randomSeed("two", 1, 2), new RecordingListener());
      assertThat(((Submission.Refused) full).refusal().kind())
          .isEqualTo(RefusalKind.USER_QUEUE_FULL);

      core.imagine().cancel(((Submission.Queued) first).jobId(), ALICE.userId(), false);

      assertThat(core.imagine().submit(ALICE, randomSeed("three", 1, 3), new RecordingListener()))
          .as("the refused request left alice her second request of the minute")
          .isInstanceOf(Submission.Queued.class);
    }
  }

  @Test
  void perUserQueueCap_comesFromTheGuildsSetting() throws Exception {
    ScriptedEngine engine = new ScriptedEngine().gated();
    try (BotApplication core =
        new CoreFixture(dir).set("limits.maxQueuedPerUser", "1").start(engine)) {
      RecordingListener running = new RecordingListener();
      core.imagine().submit(ALICE, randomSeed("one", 1, 1), running);
      running.awaitStarted();
      core.imagine().submit(ALICE, randomSeed("two", 1, 2), new RecordingListener());

      Submission third =
          core.imagine().submit(ALICE, randomSeed("three", 1, 3), new RecordingListener());

      assertThat(((Submission.Refused) third).refusal().kind())
          .isEqualTo(RefusalKind.USER_QUEUE_FULL);
      assertThat(((Submission.Refused) third).refusal().message())
          .contains("You already have 1 image queued");
      engine.open();
    }
  }

  @Test
  void rulesOfTheGuild_refuseBeforeTheCacheAndTheQueue() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    CoreFixture fixture = new CoreFixture(dir);
    try (BotApplication core = fixture.start(engine)) {
      RecordingListener made = new RecordingListener();
      core.imagine().submit(ALICE, request("a red panda", 2, 5), made);
      made.awaitEnd();
      core.moderation().set(MODERATOR, "guild-1", "bannedWords", "Red Panda");
      core.moderation().set(MODERATOR, "guild-1", "channels", "chan-2");

      Submission banned =
          core.imagine().submit(ALICE, request("a red   PANDA", 2, 5), new RecordingListener());
      Submission wrongChannel =
          core.imagine().submit(ALICE, request("a cat", 2, 5), new RecordingListener());
      Submission unknownModel =
          core.imagine()
              .submit(
                  new Requester("alice", "guild-1", "chan-2", "discord"),
                  new org.imaginebot.request.GenerationRequest(
                      request("a cat", 2, 5).prompts(),
                      "biggan-9000",
                      org.imaginebot.request.Strategy.ADAM,
                      2,
                      5),
                  new RecordingListener());

      assertThat(((Submission.Refused) banned).refusal().kind()).isEqualTo(RefusalKind.BANNED_WORD);
      assertThat(((Submission.Refused) banned).refusal().message())
          .contains("\"red panda\"")
          .contains("not allowed on this server");
      assertThat(((Submission.Refused) wrongChannel).refusal().kind())
          .isEqualTo(RefusalKind.CHANNEL_NOT_ALLOWED);
      assertThat(((Submission.Refused) unknownModel).refusal().message())
          .isEqualTo("There is no model called biggan-9000; models: tiny, tiny-stylegan.");
      assertThat(fixture.metrics.scrape())
          .contains("imagine_refusals_total{reason=\"banned_word\"} 1.0");
    }
  }

  @Test
  void liveSettingChange_appliesToTheNextRequest_andSurvivesARestart() throws Exception {
    CoreFixture fixture = new CoreFixture(dir);
    try (BotApplication core = fixture.start(new ScriptedEngine())) {
      assertThat(core.imagine().submit(ALICE, randomSeed("a cat", 40, 1), new RecordingListener()))
          .isInstanceOf(Submission.Queued.class);

      core.moderation().set(MODERATOR, "guild-1", "maxSteps", "30");

      Submission refused =
          core.imagine().submit(ALICE, randomSeed("a cat", 40, 2), new RecordingListener());
      assertThat(((Submission.Refused) refused).refusal().message())
          .isEqualTo("This server allows at most 30 steps; you asked for 40. Ask for 30 or fewer.");
    }
    try (BotApplication restarted = fixture.start(new ScriptedEngine())) {
      Submission refused =
          restarted.imagine().submit(ALICE, randomSeed("a cat", 40, 3), new RecordingListener());

      assertThat(((Submission.Refused) refused).refusal().kind())
          .isEqualTo(RefusalKind.TOO_MANY_STEPS);
      assertThat(
              restarted
                  .imagine()
                  .submit(CAROL_OTHER_GUILD, randomSeed("a cat", 40, 3), new RecordingListener()))
          .as("another guild keeps the default")
          .isInstanceOf(Submission.Queued.class);
      assertThat(restarted.moderation().audit(MODERATOR, "guild-1", 10))
          .singleElement()
          .satisfies(
              entry -> {
                assertThat(entry.actorId()).isEqualTo("mod-1");
                assertThat(entry.oldValue()).isEqualTo("500");
                assertThat(entry.newValue()).isEqualTo("30");
              });
    }
  }

  @Test
  void liveRateLimitChange_appliesAtOnce() {
    ScriptedEngine engine = new ScriptedEngine().gated();
    try (BotApplication core =
        new CoreFixture(dir).set("limits.requestsPerMinute", "1").start(engine)) {
      core.imagine().submit(ALICE, randomSeed("one", 1, 1), new RecordingListener());
      assertThat(core.imagine().submit(ALICE, randomSeed("two", 1, 2), new RecordingListener()))
          .isInstanceOf(Submission.Refused.class);

      core.moderation().set(MODERATOR, "guild-1", "requestsPerMinute", "5");

      assertThat(core.imagine().submit(ALICE, randomSeed("two", 1, 2), new RecordingListener()))
          .isInstanceOf(Submission.Queued.class);
      engine.open();
    }
  }

  @Test
  void restart_resumesTheQueuedJobs() throws Exception {
    CoreFixture fixture = new CoreFixture(dir);
    try (BotApplication core = fixture.start(new ScriptedEngine())) {
      core.moderation().pause(MODERATOR, "guild-1");
      for (int seed = 1; seed <= 3; seed++) {
        core.imagine().submit(ALICE, request("a lighthouse", 2, seed), new RecordingListener());
      }
      assertThat(core.queue().snapshot()).hasSize(3);
    }
    ScriptedEngine afterRestart = new ScriptedEngine();
    try (BotApplication restarted = fixture.start(afterRestart)) {
      // The resumed jobs' images go to the cache: asking again makes no engine call.
      awaitUntil(
          () -> restarted.queue().snapshot().isEmpty() && restarted.queue().running().isEmpty());
      awaitCalls(afterRestart, 3);
      RecordingListener again = new RecordingListener();
      assertThat(restarted.imagine().submit(ALICE, request("a lighthouse", 2, 2), again))
          .isInstanceOf(Submission.Cached.class);
      assertThat(afterRestart.calls).hasValue(3);
    }
  }

  @Test
  void cancel_queuedByOwner_runningByModerator_othersRefused() throws Exception {
    ScriptedEngine engine = new ScriptedEngine().gated();
    try (BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener running = new RecordingListener();
      RecordingListener waiting = new RecordingListener();
      JobId runningJob =
          ((Submission.Queued) core.imagine().submit(ALICE, randomSeed("one", 5, 1), running))
              .jobId();
      running.awaitStarted();
      JobId waitingJob =
          ((Submission.Queued) core.imagine().submit(ALICE, randomSeed("two", 5, 2), waiting))
              .jobId();

      assertThat(core.imagine().cancel(waitingJob, "bob", false))
          .isEqualTo(CancelResult.NOT_ALLOWED);
      assertThat(core.moderation().cancel(new Actor("mod-2", true), "guild-2", runningJob))
          .as("a moderator of another guild")
          .isEqualTo(CancelResult.NOT_FOUND);
      assertThatExceptionOfType(NotAllowedException.class)
          .isThrownBy(
              () -> core.moderation().cancel(new Actor("bob", false), "guild-1", runningJob))
          .withMessage("Only moderators can cancel other people's jobs.");
      assertThat(core.imagine().cancel(waitingJob, "alice", false))
          .isEqualTo(CancelResult.CANCELLED_QUEUED);
      assertThat(core.moderation().cancel(MODERATOR, "guild-1", runningJob))
          .isEqualTo(CancelResult.CANCELLED_RUNNING);

      assertThat(waiting.awaitEnd().kind()).isEqualTo("cancelled");
      assertThat(running.awaitEnd().kind()).isEqualTo("cancelled");
      assertThat(engine.calls).as("the cancelled queued job never ran").hasValue(1);
    }
  }

  @Test
  void positions_areUpdatedAsTheQueueMoves() throws Exception {
    ScriptedEngine engine = new ScriptedEngine().gated();
    try (BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener first = new RecordingListener();
      core.imagine().submit(ALICE, randomSeed("one", 1, 1), first);
      first.awaitStarted();
      RecordingListener second = new RecordingListener();
      RecordingListener third = new RecordingListener();
      core.imagine().submit(ALICE, randomSeed("two", 1, 2), second);
      core.imagine().submit(BOB, randomSeed("three", 1, 3), third);

      engine.open();

      third.awaitEnd();
      assertThat(third.positions).containsSubsequence(2, 1);
      assertThat(second.positions).startsWith(1);
    }
  }

  @Test
  void jobOverTheTimeLimit_isStoppedAndReported() throws Exception {
    ScriptedEngine engine = new ScriptedEngine().stepTime(Duration.ofMillis(50));
    CoreFixture fixture = new CoreFixture(dir).set("worker.maxJobTime", "PT0.3S");
    try (BotApplication core = fixture.start(engine)) {
      RecordingListener slow = new RecordingListener();
      core.imagine().submit(ALICE, randomSeed("slow", 200, 1), slow);

      End end = slow.awaitEnd();

      assertThat(end.kind()).isEqualTo("failed");
      assertThat(end.message())
          .isEqualTo(
              "It ran longer than this bot's limit of 0.3 s and was stopped. Try fewer steps.");
      assertThat(slow.events).doesNotContain("step 200");
      assertThat(fixture.metrics.scrape())
          .contains("imagine_job_run_seconds_count{outcome=\"timed_out\"} 1");
    }
  }

  @Test
  void guildGpuShare_limitsItsRunningJobs_whileOtherGuildsRun() throws Exception {
    ScriptedEngine engine = new ScriptedEngine().gated();
    CoreFixture fixture =
        new CoreFixture(dir).set("worker.gpuConcurrency", "3").set("limits.gpuConcurrency", "1");
    try (BotApplication core = fixture.start(engine)) {
      RecordingListener a1 = new RecordingListener();
      RecordingListener a2 = new RecordingListener();
      RecordingListener c1 = new RecordingListener();
      core.imagine().submit(ALICE, randomSeed("a1", 2, 1), a1);
      core.imagine().submit(BOB, randomSeed("a2", 2, 2), a2);
      core.imagine().submit(CAROL_OTHER_GUILD, randomSeed("c1", 2, 3), c1);

      a1.awaitStarted();
      c1.awaitStarted();
      awaitUntil(() -> engine.runningPrompts.size() == 2);
      await()
          .during(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(a2.started)
                      .as("guild-1 already runs its one job, though a worker is free")
                      .isNotDone());
      assertThat(engine.runningPrompts).containsExactlyInAnyOrder("a1", "c1");

      core.moderation().set(MODERATOR, "guild-1", "gpuConcurrency", "2");

      a2.awaitStarted();
      awaitUntil(() -> engine.runningPrompts.size() == 3);
      assertThat(engine.runningPrompts).containsExactlyInAnyOrder("a1", "a2", "c1");
      engine.open();
      for (RecordingListener l : List.of(a1, a2, c1)) {
        assertThat(l.awaitEnd().kind()).isEqualTo("finished");
      }
    }
  }

  @Test
  void moderation_badSettingOrNonModerator_isRefusedWithAClearMessage() {
    try (BotApplication core = new CoreFixture(dir).start(new ScriptedEngine())) {
      assertThatExceptionOfType(SettingException.class)
          .isThrownBy(() -> core.moderation().set(MODERATOR, "guild-1", "maxSteps", "-1"))
          .withMessageContaining("maxSteps must be a whole number from 1 to 100000, got '-1'");
      assertThatExceptionOfType(NotAllowedException.class)
          .isThrownBy(
              () -> core.moderation().set(new Actor("bob", false), "guild-1", "maxSteps", "10"))
          .withMessage("Only moderators can change settings.");
      assertThat(core.moderation().audit(MODERATOR, "guild-1", 10)).isEmpty();
      assertThat(core.moderation().queue(MODERATOR, "guild-1").paused()).isFalse();
    }
  }

  @Test
  void jobRunningAtShutdown_runsAgainAfterTheRestart() throws Exception {
    CoreFixture fixture = new CoreFixture(dir);
    RecordingListener cutOff = new RecordingListener();
    try (BotApplication core = fixture.start(new ScriptedEngine().gated())) {
      core.imagine().submit(ALICE, request("a lighthouse", 2, 9), cutOff);
      cutOff.awaitStarted();
    }
    assertThat(cutOff.awaitEnd().message())
        .isEqualTo("The bot is restarting; your image will be made when it is back.");

    ScriptedEngine afterRestart = new ScriptedEngine();
    try (BotApplication restarted = fixture.start(afterRestart)) {
      awaitCalls(afterRestart, 1);
      awaitUntil(() -> restarted.queue().running().isEmpty());
      assertThat(
              restarted
                  .imagine()
                  .submit(ALICE, request("a lighthouse", 2, 9), new RecordingListener()))
          .isInstanceOf(Submission.Cached.class);
    }
  }

  @Test
  void engineFailure_isReportedToTheRequester_andTheWorkerGoesOn() throws Exception {
    ScriptedEngine engine =
        new ScriptedEngine() {
          @Override
          public org.imaginebot.engine.GenerationResult generate(
              org.imaginebot.request.GenerationRequest request,
              org.imaginebot.engine.ProgressListener listener,
              org.imaginebot.engine.CancellationSignal cancel) {
            if (request.prompts().get(0).text().equals("broken")) {
              throw new IllegalStateException("model file models/tiny/biggan.pt is corrupt");
            }
            return super.generate(request, listener, cancel);
          }
        };
    try (LogCapture log = LogCapture.of(Worker.class);
        BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener broken = new RecordingListener();
      RecordingListener next = new RecordingListener();
      core.imagine().submit(ALICE, randomSeed("broken", 2, 1), broken);
      core.imagine().submit(BOB, randomSeed("fine", 2, 2), next);

      String told = broken.awaitEnd().message();
      assertThat(told)
          .matches(
              "Something went wrong while making your image \\(incident (E-[A-Z0-9]{6})\\)\\. "
                  + "Try again; if it keeps happening, tell a moderator and quote the id\\.");
      assertThat(told)
          .as("no raw exception text")
          .doesNotContain("corrupt", "biggan.pt", "Exception");
      String incident = told.replaceAll(".*\\((incident E-[A-Z0-9]{6})\\).*", "$1");
      assertThat(log.errors())
          .as("the operator log has the same id and the stack trace")
          .anySatisfy(
              e ->
                  assertThat(e)
                      .contains(
                          incident,
                          "IllegalStateException",
                          "models/tiny/biggan.pt is corrupt",
                          "at org.imaginebot."));
      assertThat(next.awaitEnd().kind()).isEqualTo("finished");
    }
  }

  @Test
  void missingModelFile_tellsTheUserToAskAnOperator_withoutThePath() throws Exception {
    ScriptedEngine engine =
        new ScriptedEngine() {
          @Override
          public org.imaginebot.engine.GenerationResult generate(
              org.imaginebot.request.GenerationRequest request,
              org.imaginebot.engine.ProgressListener listener,
              org.imaginebot.engine.CancellationSignal cancel) {
            ModelFiles.verify(
                new ModelFile(
                    "tiny",
                    "generator",
                    dir.resolve("gone/biggan.pt"),
                    "0".repeat(64),
                    null,
                    null));
            return super.generate(request, listener, cancel);
          }
        };
    try (LogCapture log = LogCapture.of(Worker.class);
        BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener listener = new RecordingListener();
      core.imagine().submit(ALICE, randomSeed("a lighthouse", 2, 1), listener);

      assertThat(listener.awaitEnd().message())
          .isEqualTo("The model tiny is not installed on this bot; ask an operator.");
      assertThat(log.errors()).anySatisfy(e -> assertThat(e).contains("gone/biggan.pt"));
    }
  }

  @Test
  void samePromptTwice_withoutASeed_secondIsAnsweredFromTheCacheWithTheSameSeed() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    try (BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener first = new RecordingListener();
      RecordingListener second = new RecordingListener();
      core.imagine().submit(ALICE, "a red bicycle --steps 2", first);
      long seed = first.awaitEnd().image().seed();

      Submission again = core.imagine().submit(BOB, "a  Red bicycle --steps 2", second);

      assertThat(again)
          .isInstanceOfSatisfying(
              Submission.Cached.class, c -> assertThat(c.image().seed()).isEqualTo(seed));
      assertThat(second.awaitEnd().cached()).isTrue();
      assertThat(engine.calls).hasValue(1);
    }
  }

  @Test
  void samePromptTwice_withSeedRandom_orWithSeedFromPromptOff_runsBothTimes() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    try (BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener first = new RecordingListener();
      core.imagine().submit(ALICE, "a red bicycle --steps 2", first);
      first.awaitEnd();
      RecordingListener fresh = new RecordingListener();

      Submission random =
          core.imagine().submit(ALICE, "a red bicycle --steps 2 --seed random", fresh);

      assertThat(random).isInstanceOf(Submission.Queued.class);
      assertThat(fresh.awaitEnd().cached()).isFalse();
      assertThat(fresh.awaitEnd().image().seed()).isNotEqualTo(first.awaitEnd().image().seed());
    }
    ScriptedEngine off = new ScriptedEngine();
    try (BotApplication core =
        new CoreFixture(dir.resolve("off")).set("cache.seedFromPrompt", "false").start(off)) {
      RecordingListener first = new RecordingListener();
      RecordingListener second = new RecordingListener();
      core.imagine().submit(ALICE, "a red bicycle --steps 2", first);
      first.awaitEnd();

      assertThat(core.imagine().submit(ALICE, "a red bicycle --steps 2", second))
          .isInstanceOf(Submission.Queued.class);
      assertThat(second.awaitEnd().cached()).isFalse();
      assertThat(off.calls).hasValue(2);
    }
  }

  @Test
  void samePromptTwiceInFlight_withoutASeed_sharesOneRun() throws Exception {
    ScriptedEngine engine = new ScriptedEngine().gated();
    try (BotApplication core = new CoreFixture(dir).start(engine)) {
      RecordingListener alice = new RecordingListener();
      RecordingListener bob = new RecordingListener();
      core.imagine().submit(ALICE, "a red bicycle --steps 2", alice);
      alice.awaitStarted();

      Submission joined = core.imagine().submit(BOB, "a red bicycle --steps 2", bob);
      engine.open();

      assertThat(joined)
          .isInstanceOfSatisfying(Submission.Queued.class, q -> assertThat(q.joined()).isTrue());
      assertThat(bob.awaitEnd().image()).isEqualTo(alice.awaitEnd().image());
      assertThat(engine.calls).hasValue(1);
    }
  }

  @Test
  void submitLine_parsesTheCommandLanguage_withinTheGuildsLimits() throws Exception {
    try (BotApplication core =
        new CoreFixture(dir).set("limits.maxSteps", "20").start(new ScriptedEngine())) {
      RecordingListener listener = new RecordingListener();

      Submission ok =
          core.imagine()
              .submit(
                  ALICE,
                  "a lighthouse | oil painting:0.5 --no blurry --steps 4 --seed 12",
                  listener);
      Submission tooMany =
          core.imagine().submit(ALICE, "a lighthouse --steps 500", new RecordingListener());
      Submission typo =
          core.imagine().submit(ALICE, "a lighthouse --sed 3", new RecordingListener());

      assertThat(ok).isInstanceOf(Submission.Queued.class);
      assertThat(listener.awaitEnd().image().seed()).isEqualTo(12);
      assertThat(listener.events).contains("step 4");
      assertThat(((Submission.Refused) tooMany).refusal().message())
          .isEqualTo("--steps 500 is out of range: use 1 to 20");
      assertThat(((Submission.Refused) typo).refusal().kind()).isEqualTo(RefusalKind.BAD_REQUEST);
      assertThat(((Submission.Refused) typo).refusal().message())
          .contains("unknown option '--sed' (did you mean --seed?)");
      assertThat(core.imagine().bounds("guild-1").defaultSteps())
          .as("the default fits the guild's limit")
          .isEqualTo(20);
    }
  }

  @Test
  void jobAskedForBeforeARestart_isDeliveredThroughItsAdapter() throws Exception {
    CoreFixture fixture = new CoreFixture(dir);
    try (BotApplication core = fixture.start(new ScriptedEngine())) {
      core.moderation().pause(MODERATOR, "guild-1");
      core.imagine().submit(ALICE, request("a lighthouse", 2, 3), new RecordingListener());
    }
    RecordingListener delivered = new RecordingListener();
    java.util.List<Requester> askedBy = new java.util.concurrent.CopyOnWriteArrayList<>();

    try (BotApplication restarted = fixture.open(new ScriptedEngine())) {
      restarted
          .imagine()
          .onResumed(
              "discord",
              (requester, request) -> {
                askedBy.add(requester);
                return delivered;
              });
      restarted.startWorkers();

      assertThat(delivered.awaitEnd().kind()).isEqualTo("finished");
      assertThat(askedBy).containsExactly(ALICE);
    }
    try (BotApplication again = fixture.start(new ScriptedEngine())) {
      assertThat(again.queue().snapshot()).as("the job is done and gone").isEmpty();
    }
  }

  private static void awaitCalls(ScriptedEngine engine, int calls) throws InterruptedException {
    awaitUntil(() -> engine.calls.get() >= calls);
    assertThat(engine.calls).hasValue(calls);
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    await().atMost(Duration.ofSeconds(20)).until(condition::getAsBoolean);
  }
}
