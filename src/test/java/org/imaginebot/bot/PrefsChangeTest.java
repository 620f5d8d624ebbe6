package org.imaginebot.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.Optional;
import java.util.OptionalInt;
import org.imaginebot.request.RequestBounds;
import org.imaginebot.request.Strategy;
import org.junit.jupiter.api.Test;

/** The text form of {@code /imagine-prefs} and the shared answer text. */
final class PrefsChangeTest {

  @Test
  void parse_readsKeysInAnyOrderAndCase_withEqualsOrColon() {
    assertThat(PrefsChange.parse("  STEPS=50 model:tiny strategy=Adam "))
        .isEqualTo(
            new PrefsChange(false, Optional.of("tiny"), Optional.of("Adam"), OptionalInt.of(50)));
    assertThat(PrefsChange.parse("clear steps=3"))
        .isEqualTo(new PrefsChange(true, Optional.empty(), Optional.empty(), OptionalInt.of(3)));
    assertThat(PrefsChange.parse("Clear")).isEqualTo(PrefsChange.CLEAR);
    assertThat(PrefsChange.parse("")).isEqualTo(PrefsChange.SHOW);
    assertThat(PrefsChange.parse(null)).isEqualTo(PrefsChange.SHOW);
  }

  @Test
  void parse_badText_saysWhatIsWrongAndWhatWorks() {
    assertThatExceptionOfType(PrefsException.class)
        .isThrownBy(() -> PrefsChange.parse("steps=ten"))
        .withMessage("steps needs a whole number, got 'ten'.");
    assertThatExceptionOfType(PrefsException.class)
        .isThrownBy(() -> PrefsChange.parse("size=64"))
        .withMessage(
            "'size=64' is not something /imagine-prefs sets: use model=<id>,"
                + " strategy=<adam|search|auto|evolve>, steps=<number>, grid=<1|4>, or clear.");
    assertThatExceptionOfType(PrefsException.class)
        .isThrownBy(() -> PrefsChange.parse("tiny"))
        .withMessageStartingWith("'tiny' is not something /imagine-prefs sets");
    assertThatExceptionOfType(PrefsException.class)
        .isThrownBy(() -> PrefsChange.parse("model="))
        .withMessage("model needs a value, e.g. model=tiny.");
    assertThatExceptionOfType(PrefsException.class)
        .isThrownBy(() -> PrefsChange.parse("steps=3 steps=4"))
        .withMessage("steps is given twice; give it once.");
    assertThatExceptionOfType(PrefsException.class)
        .isThrownBy(() -> PrefsChange.parse("steps=99999999999"))
        .withMessage("steps needs a whole number, got '99999999999'.");
  }

  @Test
  void reply_saysWhatWasDone_showsTheLine_andHowToChangeThem() {
    PrefsView view =
        new PrefsView(
            new UserPrefs(Optional.of("a_b"), Optional.empty(), OptionalInt.empty()),
            new RequestBounds("a_b", Strategy.ADAM, 100, 500, 512, true));

    assertThat(
            PrefsText.reply(
                view,
                PrefsChange.parse("model=a_b"),
                "on this server",
                t -> t.replace("_", "\\_"),
                "Use /imagine-prefs."))
        .isEqualTo(
            "Saved. Your defaults on this server: model a\\_b (yours), strategy adam (default),"
                + " 100 steps (default), one image (default).\nOptions you give with /imagine win over these. Use"
                + " /imagine-prefs.");
    assertThat(PrefsText.reply(view, PrefsChange.CLEAR, "here", t -> t, ""))
        .startsWith("Your defaults are cleared. ");
    assertThat(PrefsText.reply(view, PrefsChange.SHOW, "here", t -> t, ""))
        .startsWith("Your defaults here: ");
  }
}
