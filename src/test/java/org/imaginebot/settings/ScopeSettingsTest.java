package org.imaginebot.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

final class ScopeSettingsTest {

  private final ScopeSettings defaults = Defaults.settings();

  @Test
  void fromValues_allGiven_buildsSettings() {
    assertThat(defaults)
        .isEqualTo(
            new ScopeSettings(3, 10, 100, 500, 512, Set.of(), Set.of(), List.of(), Set.of(), 2, 0));
  }

  @Test
  void fromValues_missingSetting_namesIt() {
    Map<String, String> texts = Defaults.texts();
    texts.remove("maxSize");
    texts.remove("channels");

    assertThatThrownBy(() -> ScopeSettings.fromValues(texts))
        .isInstanceOf(SettingException.class)
        .hasMessage("missing settings: maxSize, channels");
  }

  @Test
  void fromValues_unknownSetting_namesIt() {
    Map<String, String> texts = Defaults.texts();
    texts.put("maxColours", "3");

    assertThatThrownBy(() -> ScopeSettings.fromValues(texts))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("unknown setting 'maxColours';");
  }

  @Test
  void fromValues_sameSettingTwice_refused() {
    Map<String, String> texts = Defaults.texts();
    texts.put("MAXSTEPS", "3");

    assertThatThrownBy(() -> ScopeSettings.fromValues(texts))
        .isInstanceOf(SettingException.class)
        .hasMessage("setting 'maxSteps' is given twice");
  }

  @Test
  void fromValues_badValue_namesSettingAndValue() {
    Map<String, String> texts = Defaults.texts();
    texts.put("gpuConcurrency", "0");

    assertThatThrownBy(() -> ScopeSettings.fromValues(texts))
        .isInstanceOf(SettingException.class)
        .hasMessage("gpuConcurrency must be a whole number from 1 to 64, got '0'");
  }

  @ParameterizedTest
  @CsvSource({
    "maxQueuedPerUser, 1, 100",
    "requestsPerMinute, 1, 600",
    "scopeRequestsPerMinute, 1, 10000",
    "maxSteps, 1, 100000",
    "maxSize, 16, 2048",
    "gpuConcurrency, 1, 64"
  })
  void with_wholeNumberInRange_accepted(String id, int min, int max) {
    Setting setting = Setting.byId(id);

    assertThat(defaults.with(setting, Integer.toString(min)).value(setting))
        .isEqualTo(Integer.toString(min));
    assertThat(defaults.with(setting, " " + max + " ").value(setting))
        .isEqualTo(Integer.toString(max));
  }

  @ParameterizedTest
  @CsvSource({
    "maxQueuedPerUser, 1, 100",
    "requestsPerMinute, 1, 600",
    "scopeRequestsPerMinute, 1, 10000",
    "maxSteps, 1, 100000",
    "maxSize, 16, 2048",
    "gpuConcurrency, 1, 64"
  })
  void with_wholeNumberOutOfRange_refusedWithRange(String id, int min, int max) {
    Setting setting = Setting.byId(id);
    String expected = id + " must be a whole number from " + min + " to " + max + ", got '%s'";

    for (String bad : List.of(Integer.toString(min - 1), Integer.toString(max + 1))) {
      assertThatThrownBy(() -> defaults.with(setting, bad))
          .isInstanceOf(SettingException.class)
          .hasMessage(expected.formatted(bad))
          .satisfies(e -> assertThat(((SettingException) e).setting()).contains(setting));
    }
  }

  @Test
  void with_notAWholeNumber_refused() {
    for (String bad : List.of("abc", "", "3.5", "99999999999", "1e3")) {
      assertThatThrownBy(() -> defaults.with(Setting.MAX_STEPS, bad))
          .isInstanceOf(SettingException.class)
          .hasMessage("maxSteps must be a whole number from 1 to 100000, got '" + bad + "'");
    }
  }

  @Test
  void with_strategies_parsesCaseInsensitiveSortedList() {
    ScopeSettings s = defaults.with(Setting.STRATEGIES, " SEARCH , adam,search");

    assertThat(s.strategies()).containsExactly("adam", "search");
    assertThat(s.value(Setting.STRATEGIES)).isEqualTo("adam, search");
    assertThat(defaults.with(Setting.STRATEGIES, "search").allowsStrategy("Adam")).isFalse();
    assertThat(defaults.with(Setting.STRATEGIES, "search").allowsStrategy("SEARCH")).isTrue();
  }

  @Test
  void with_unknownStrategy_refusedWithAllowed() {
    assertThatThrownBy(() -> defaults.with(Setting.STRATEGIES, "adam,dream"))
        .isInstanceOf(SettingException.class)
        .hasMessage(
            "strategies must be '*' or a comma-separated list of adam, search, auto, evolve, got 'adam,dream'"
                + " (unknown strategy 'dream')");
  }

  @Test
  void with_star_meansAll() {
    ScopeSettings s = defaults.with(Setting.STRATEGIES, "search").with(Setting.STRATEGIES, " * ");

    assertThat(s.strategies()).isEmpty();
    assertThat(s.value(Setting.STRATEGIES)).isEqualTo("*");
    assertThat(s.allowsStrategy("adam")).isTrue();
    assertThat(s.allowsModel("anything")).isTrue();
    assertThat(s.allowsChannel("123")).isTrue();
  }

  @Test
  void with_emptyIdList_refusedPointingToStar() {
    for (Setting setting : List.of(Setting.STRATEGIES, Setting.MODELS, Setting.CHANNELS)) {
      assertThatThrownBy(() -> defaults.with(setting, " , "))
          .isInstanceOf(SettingException.class)
          .hasMessageStartingWith(setting.id() + " must be '*' or a comma-separated list of ")
          .hasMessageEndingWith(", got ' , ' (use '*' for all)");
    }
  }

  @Test
  void with_models_lowercasedAndMatchedIgnoringCase() {
    ScopeSettings s = defaults.with(Setting.MODELS, "BigGAN-Deep-256, clip-vit-b32");

    assertThat(s.models()).containsExactly("biggan-deep-256", "clip-vit-b32");
    assertThat(s.allowsModel("BIGGAN-deep-256")).isTrue();
    assertThat(s.allowsModel("other")).isFalse();
    assertThat(s.allowsModel(null)).isFalse();
  }

  @Test
  void with_modelIdWithSpace_refused() {
    assertThatThrownBy(() -> defaults.with(Setting.MODELS, "big gan"))
        .isInstanceOf(SettingException.class)
        .hasMessage(
            "models must be '*' or a comma-separated list of model ids, got 'big gan'"
                + " (bad id 'big gan')");
  }

  @Test
  void with_channels_keptCaseSensitive() {
    ScopeSettings s = defaults.with(Setting.CHANNELS, "C0123ABC, 998877665544");

    assertThat(s.channels()).containsExactly("998877665544", "C0123ABC");
    assertThat(s.allowsChannel("C0123ABC")).isTrue();
    assertThat(s.allowsChannel("c0123abc")).isFalse();
    assertThat(s.allowsChannel("1")).isFalse();
  }

  @Test
  void with_bannedWords_normalizedAndDeduplicated() {
    ScopeSettings s = defaults.with(Setting.BANNED_WORDS, " Cat, red   PANDA,cat,, ");

    assertThat(s.bannedWords()).containsExactly("cat", "red panda");
    assertThat(s.value(Setting.BANNED_WORDS)).isEqualTo("cat, red panda");
    assertThat(s.bannedWordIn("a Red\tPanda sleeps")).contains("red panda");
    assertThat(s.bannedWordIn("concatenate")).isEmpty();
  }

  @Test
  void with_noneOrEmptyBannedWords_meansNone() {
    ScopeSettings banned = defaults.with(Setting.BANNED_WORDS, "cat");

    for (String none : List.of("none", "NONE", "", "  ")) {
      ScopeSettings s = banned.with(Setting.BANNED_WORDS, none);
      assertThat(s.bannedWords()).isEmpty();
      assertThat(s.value(Setting.BANNED_WORDS)).isEqualTo("none");
      assertThat(s.bannedWordIn("cat")).isEmpty();
    }
  }

  @Test
  void with_tooManyOrTooLongEntries_refused() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= Setting.MAX_ENTRIES; i++) {
      many.add("w" + i);
    }
    assertThatThrownBy(() -> defaults.with(Setting.BANNED_WORDS, String.join(",", many)))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("(more than 200 entries)");
    assertThatThrownBy(() -> defaults.with(Setting.BANNED_WORDS, "x".repeat(101)))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("(an entry is longer than 100 characters)");
  }

  @Test
  void with_changesOnlyThatSetting() {
    ScopeSettings s = defaults.with(Setting.MAX_STEPS, "300");

    assertThat(s.maxSteps()).isEqualTo(300);
    for (Setting other : Setting.values()) {
      if (other != Setting.MAX_STEPS) {
        assertThat(s.value(other)).isEqualTo(defaults.value(other));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Setting.class)
  void value_roundTripsThroughWith(Setting setting) {
    ScopeSettings changed =
        defaults
            .with(Setting.MAX_STEPS, "300")
            .with(Setting.STRATEGIES, "search")
            .with(Setting.MODELS, "biggan-deep-256,b")
            .with(Setting.BANNED_WORDS, "cat, red panda, c++")
            .with(Setting.CHANNELS, "42,7");

    for (ScopeSettings s : List.of(defaults, changed)) {
      assertThat(s.with(setting, s.value(setting))).isEqualTo(s);
    }
  }

  @Test
  void constructor_badValues_refused() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new ScopeSettings(
                    0, 10, 100, 500, 512, Set.of(), Set.of(), List.of(), Set.of(), 2, 0))
        .withMessage("maxQueuedPerUser must be a whole number from 1 to 100, got '0'");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new ScopeSettings(
                    3, 10, 100, 500, 512, Set.of("dream"), Set.of(), List.of(), Set.of(), 2, 0))
        .withMessageContaining("(unknown strategy 'dream')");
  }

  @Test
  void constructor_copiesCollectionsSortedAndUnmodifiable() {
    List<String> words = new ArrayList<>(List.of("Dog", "cat"));
    ScopeSettings s =
        new ScopeSettings(
            3,
            10,
            100,
            500,
            512,
            Set.of("search", "ADAM"),
            Set.of(),
            words,
            Set.of("b", "a"),
            2,
            0);
    words.add("bird");

    assertThat(s.strategies()).containsExactly("adam", "search");
    assertThat(s.channels()).containsExactly("a", "b");
    assertThat(s.bannedWords()).containsExactly("dog", "cat");
    assertThatThrownBy(() -> s.channels().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.bannedWords().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
