package org.imaginebot.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class SettingTest {

  @Test
  void byId_anyCaseAndSpaces_findsSetting() {
    assertThat(Setting.byId("maxSteps")).isEqualTo(Setting.MAX_STEPS);
    assertThat(Setting.byId(" MAXSTEPS ")).isEqualTo(Setting.MAX_STEPS);
    assertThat(Setting.byId("bannedwords")).isEqualTo(Setting.BANNED_WORDS);
  }

  @ParameterizedTest
  @EnumSource(Setting.class)
  void byId_ownId_givesItBack(Setting setting) {
    assertThat(Setting.byId(setting.id())).isSameAs(setting);
    assertThat(setting.description()).isNotBlank().doesNotContain("\n");
  }

  @Test
  void ids_areDistinctCamelCase() {
    assertThat(Arrays.stream(Setting.values()).map(Setting::id))
        .doesNotHaveDuplicates()
        .allMatch(id -> id.matches("[a-z][A-Za-z]+"));
  }

  @Test
  void byId_unknown_listsAllSettings() {
    assertThatThrownBy(() -> Setting.byId("colour"))
        .isInstanceOf(SettingException.class)
        .hasMessage(
            "unknown setting 'colour'; settings: maxQueuedPerUser, requestsPerMinute,"
                + " scopeRequestsPerMinute, maxSteps, maxSize, strategies, models, bannedWords,"
                + " channels, gpuConcurrency, dailyImagesPerUser")
        .satisfies(e -> assertThat(((SettingException) e).setting()).isEmpty());
  }

  @Test
  void byId_nearMiss_suggestsClosest() {
    assertThatThrownBy(() -> Setting.byId("maxStep"))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("unknown setting 'maxStep'; did you mean 'maxSteps'? settings: ");
    assertThatThrownBy(() -> Setting.byId("chanels"))
        .hasMessageContaining("did you mean 'channels'?");
  }

  @Test
  void byId_blankOrNull_refusedWithoutSuggestion() {
    assertThatThrownBy(() -> Setting.byId(""))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("unknown setting ''; settings: ");
    assertThatThrownBy(() -> Setting.byId(null))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("unknown setting 'null'; settings: ");
  }

  @Test
  void editDistance_countsSingleCharEdits() {
    assertThat(Setting.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(Setting.editDistance("", "abc")).isEqualTo(3);
    assertThat(Setting.editDistance("same", "same")).isZero();
  }

  @Test
  void allowedValues_describesEachKind() {
    assertThat(Setting.MAX_SIZE.allowedValues()).isEqualTo("a whole number from 16 to 2048");
    assertThat(Setting.STRATEGIES.allowedValues())
        .isEqualTo("'*' or a comma-separated list of adam, search, auto, evolve");
    assertThat(Setting.BANNED_WORDS.allowedValues()).startsWith("'none' or");
    assertThat(Setting.MAX_SIZE.description()).endsWith("(16-2048)");
  }
}
