package org.imaginebot.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class BannedWordsTest {

  @Test
  void firstIn_wholeWordAnyCase_matches() {
    BannedWords banned = BannedWords.of(List.of("cat"));

    assertThat(banned.firstIn("A CAT!")).contains("cat");
    assertThat(banned.firstIn("cat")).contains("cat");
    assertThat(banned.firstIn("(cat)")).contains("cat");
  }

  @Test
  void firstIn_partOfLongerWord_doesNotMatch() {
    BannedWords banned = BannedWords.of(List.of("cat"));

    assertThat(banned.firstIn("concatenate")).isEmpty();
    assertThat(banned.firstIn("cats")).isEmpty();
    assertThat(banned.firstIn("cat_1")).isEmpty();
    assertThat(banned.firstIn("2cat")).isEmpty();
  }

  @Test
  void firstIn_unicodeLettersAreWordCharacters() {
    BannedWords banned = BannedWords.of(List.of("chat", "ÉTÉ"));

    assertThat(banned.firstIn("château")).isEmpty();
    assertThat(banned.firstIn("un chat noir")).contains("chat");
    assertThat(banned.firstIn("l'été dernier")).contains("ÉTÉ");
    assertThat(banned.firstIn("chaté")).isEmpty();
    assertThat(banned.firstIn("chate\u0301")).isEmpty(); // e + combining acute accent
  }

  @Test
  void firstIn_phrase_matchesAnyWhitespaceRun() {
    BannedWords banned = BannedWords.of(List.of("red panda"));

    assertThat(banned.firstIn("a Red   Panda")).contains("red panda");
    assertThat(banned.firstIn("red\n\tpanda")).contains("red panda");
    assertThat(banned.firstIn("redpanda")).isEmpty();
    assertThat(banned.firstIn("red pandas")).isEmpty();
    assertThat(banned.firstIn("red, panda")).isEmpty();
  }

  @Test
  void firstIn_regexMetacharacters_matchedLiterally() {
    BannedWords banned = BannedWords.of(List.of("c++", "a.b", "(x)|y", "\\E"));

    assertThat(banned.firstIn("I write C++ daily")).contains("c++");
    assertThat(banned.firstIn("c")).isEmpty();
    assertThat(banned.firstIn("a.b")).contains("a.b");
    assertThat(banned.firstIn("axb")).isEmpty();
    assertThat(banned.firstIn("y")).isEmpty();
    assertThat(banned.firstIn("say (x)|y now")).contains("(x)|y");
    assertThat(banned.firstIn("\\E")).contains("\\E");
  }

  @Test
  void firstIn_severalEntries_givesEarliestInText() {
    BannedWords banned = BannedWords.of(List.of("dog", "cat", "red", "red panda"));

    assertThat(banned.firstIn("a cat and a dog")).contains("cat");
    assertThat(banned.firstIn("a dog and a cat")).contains("dog");
    assertThat(banned.firstIn("a red panda")).contains("red panda");
    assertThat(banned.firstIn("a red fox")).contains("red");
  }

  @Test
  void firstIn_emptyList_matchesNothing() {
    assertThat(BannedWords.of(List.of()).firstIn("cat")).isEmpty();
    assertThat(BannedWords.of(List.of(" ", "")).firstIn("cat")).isEmpty();
    assertThat(BannedWords.none().firstIn("anything")).isEmpty();
    assertThat(BannedWords.none().entries()).isEmpty();
  }

  @Test
  void firstIn_emptyOrNullText_matchesNothing() {
    BannedWords banned = BannedWords.of(List.of("cat"));

    assertThat(banned.firstIn("")).isEmpty();
    assertThat(banned.firstIn(null)).isEmpty();
  }

  @Test
  void entries_keepGivenOrder() {
    assertThat(BannedWords.of(List.of("b", " a ", "c")).entries()).containsExactly("b", "a", "c");
  }
}
