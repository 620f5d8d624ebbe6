package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.imaginebot.bot.CoreFixture.ALICE;
import static org.imaginebot.bot.CoreFixture.BOB;
import static org.imaginebot.bot.CoreFixture.request;

import java.nio.file.Path;
import org.imaginebot.app.BotApplication;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may delete a reply ({@link ImagineService#delete}) and purge its image from the cache ({@link
 * ModerationService#purge}), on the real core: database refs, cache, log.
 */
final class ReplyDeletionTest {

  private static final Actor ALICE_ACTS = new Actor("alice", false);
  private static final Actor BOB_ACTS = new Actor("bob", false);
  private static final Actor MODERATOR = new Actor("mod-1", true);

  @TempDir Path dir;

  @Test
  void delete_byTheRequester_isAllowedWithoutAPurgeOffer_andLogged() {
    try (LogCapture log = LogCapture.of(ImagineService.class);
        BotApplication core = new CoreFixture(dir).start(new ScriptedEngine())) {
      String ref = remember(core, request("a lighthouse", 2, 7), ALICE);

      assertThat(core.imagine().delete(ref, ALICE_ACTS, "guild-1"))
          .isEqualTo(new Deletion.Allowed(false));
      assertThat(log.all())
          .anyMatch(l -> l.contains("requester alice deletes the reply of ref " + ref));
    }
  }

  @Test
  void delete_bySomeoneElse_isRefusedInUserWords_byAModeratorAllowedWithAPurgeOffer() {
    try (BotApplication core = new CoreFixture(dir).start(new ScriptedEngine())) {
      String ref = remember(core, request("a lighthouse", 2, 7), ALICE);

      assertThat(core.imagine().delete(ref, BOB_ACTS, "guild-1"))
          .isEqualTo(
              new Deletion.Refused(
                  "Only the person who asked for this image or a moderator can delete it."));
      assertThat(core.imagine().delete(ref, MODERATOR, "guild-1"))
          .isEqualTo(new Deletion.Allowed(true));
      assertThat(core.imagine().delete(ref, new Actor("alice", true), "guild-1"))
          .as("a requester who moderates may purge too")
          .isEqualTo(new Deletion.Allowed(true));
    }
  }

  @Test
  void delete_inAnotherScope_isRefusedEvenToItsModerators() {
    try (BotApplication core = new CoreFixture(dir).start(new ScriptedEngine())) {
      String ref = remember(core, request("a lighthouse", 2, 7), ALICE);

      assertThat(core.imagine().delete(ref, MODERATOR, "guild-2"))
          .isInstanceOf(Deletion.Refused.class);
      assertThat(core.moderation().purge(MODERATOR, "guild-2", ref))
          .isEqualTo(PurgeResult.NOT_FOUND);
    }
  }

  @Test
  void delete_ofAnUnknownOrExpiredRef_isLeftToModerators() {
    try (BotApplication core = new CoreFixture(dir).start(new ScriptedEngine())) {
      assertThat(core.imagine().delete("gone", ALICE_ACTS, "guild-1"))
          .isInstanceOfSatisfying(
              Deletion.Refused.class,
              r -> assertThat(r.message()).contains("only a moderator can delete it"));
      assertThat(core.imagine().delete("gone", MODERATOR, "guild-1"))
          .as("nothing known to purge")
          .isEqualTo(new Deletion.Allowed(false));
    }
  }

  @Test
  void purge_byAModerator_removesTheCachedImage_soTheSameRequestRunsAgain_andIsAudited()
      throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    try (LogCapture log = LogCapture.of(ModerationService.class);
        BotApplication core = new CoreFixture(dir).start(engine)) {
      GenerationRequest request = request("a lighthouse", 2, 7);
      RecordingListener first = new RecordingListener();
      core.imagine().submit(ALICE, request, first);
      first.awaitEnd();
      String ref = remember(core, request, ALICE);
      assertThat(core.imagine().submit(BOB, request, new RecordingListener()))
          .as("a plain delete leaves the cache alone")
          .isInstanceOf(Submission.Cached.class);

      assertThat(core.moderation().purge(MODERATOR, "guild-1", ref)).isEqualTo(PurgeResult.PURGED);

      RecordingListener again = new RecordingListener();
      assertThat(core.imagine().submit(BOB, request, again)).isInstanceOf(Submission.Queued.class);
      assertThat(again.awaitEnd().cached()).isFalse();
      assertThat(engine.calls).hasValue(2);
      assertThat(log.all())
          .anyMatch(
              l ->
                  l.contains("moderator mod-1 of guild-1 purged the cached image of ref " + ref)
                      && l.contains("asked by alice")
                      && l.contains("): PURGED"));
      assertThat(core.moderation().purge(MODERATOR, "guild-1", "gone"))
          .isEqualTo(PurgeResult.NOT_FOUND);
    }
  }

  @Test
  void purge_byAMember_isRefused_andTheImageStays() throws Exception {
    try (BotApplication core = new CoreFixture(dir).start(new ScriptedEngine())) {
      GenerationRequest request = request("a lighthouse", 2, 7);
      RecordingListener first = new RecordingListener();
      core.imagine().submit(ALICE, request, first);
      first.awaitEnd();
      String ref = remember(core, request, ALICE);

      assertThatExceptionOfType(NotAllowedException.class)
          .isThrownBy(() -> core.moderation().purge(ALICE_ACTS, "guild-1", ref))
          .withMessage("Only moderators can remove images from the cache.");
      assertThat(core.imagine().submit(BOB, request, new RecordingListener()))
          .isInstanceOf(Submission.Cached.class);
      assertThat(core.moderation().purge(MODERATOR, "guild-1", ref)).isEqualTo(PurgeResult.PURGED);
      assertThat(core.moderation().purge(MODERATOR, "guild-1", ref))
          .isEqualTo(PurgeResult.NOT_CACHED);
    }
  }

  private static String remember(BotApplication core, GenerationRequest request, Requester who) {
    return core.services().actionRefs().remember(request, who).orElseThrow();
  }
}
