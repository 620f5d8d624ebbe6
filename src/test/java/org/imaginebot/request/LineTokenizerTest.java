package org.imaginebot.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.imaginebot.request.LineTokenizer.Token;
import org.junit.jupiter.api.Test;

final class LineTokenizerTest {

  @Test
  void tokenize_whitespaceRuns_separateTokens() {
    assertThat(LineTokenizer.tokenize(" a\t\tb\n c\u00A0d "))
        .extracting(Token::value)
        .containsExactly("a", "b", "c", "d");
  }

  @Test
  void tokenize_quotes_groupWordsAndKeepRawText() {
    assertThat(LineTokenizer.tokenize("x \"a  b\" c"))
        .containsExactly(
            new Token("x", "x", false),
            new Token("\"a  b\"", "a  b", true),
            new Token("c", "c", false));
  }

  @Test
  void tokenize_quoteInsideAToken_joinsTheParts() {
    assertThat(LineTokenizer.tokenize("--no=\"low quality\"x y"))
        .containsExactly(
            new Token("--no=\"low quality\"x", "--no=low qualityx", false),
            new Token("y", "y", false));
  }

  @Test
  void tokenize_emptyQuotes_giveAnEmptyValue() {
    assertThat(LineTokenizer.tokenize("\"\"")).containsExactly(new Token("\"\"", "", true));
  }

  @Test
  void tokenize_unpairedQuote_isLiteral() {
    assertThat(LineTokenizer.tokenize("a 12\" b \"c d\""))
        .containsExactly(
            new Token("a", "a", false),
            new Token("12\" b \"c", "12 b c", false),
            new Token("d\"", "d\"", false));
    assertThat(LineTokenizer.tokenize("a 12\" b"))
        .extracting(Token::value)
        .containsExactly("a", "12\"", "b");
  }

  @Test
  void tokenize_emptyLine_hasNoTokens() {
    assertThat(LineTokenizer.tokenize("   ")).isEmpty();
  }
}
