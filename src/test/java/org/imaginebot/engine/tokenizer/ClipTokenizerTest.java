package org.imaginebot.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ids checked against OpenAI CLIP's Python tokenizer (see scripts/reference/tokenizer_golden.py).
 */
final class ClipTokenizerTest {

  private static final ClipTokenizer TOKENIZER = ClipTokenizer.load();

  @Test
  void tokenize_photoOfACat_matchesClipIds() {
    long[] ids = TOKENIZER.tokenize("a photo of a cat");

    assertThat(Arrays.copyOf(ids, 7)).containsExactly(49406, 320, 1125, 539, 320, 2368, 49407);
    assertThat(TOKENIZER.encode("a photo of a cat")).containsExactly(320, 1125, 539, 320, 2368);
  }

  static Stream<Arguments> goldenCases() throws IOException {
    try (InputStream in =
        ClipTokenizerTest.class.getResourceAsStream("/clip/tokenizer-golden.json")) {
      assertThat(in).as("golden resource").isNotNull();
      List<Arguments> cases = new ArrayList<>();
      for (JsonNode node : new ObjectMapper().readTree(in).get("cases")) {
        int[] encode = ints(node.get("encode"));
        long[] tokenize = IntStream.of(ints(node.get("tokenize"))).asLongStream().toArray();
        cases.add(Arguments.of(node.get("text").asText(), encode, tokenize));
      }
      assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
      return cases.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("goldenCases")
  void encodeAndTokenize_goldenText_matchPythonClip(String text, int[] encode, long[] tokenize) {
    assertThat(TOKENIZER.encode(text)).as("encode(%s)", text).containsExactly(encode);
    assertThat(TOKENIZER.tokenize(text)).as("tokenize(%s)", text).containsExactly(tokenize);
    assertThat(TOKENIZER.tokenCount(text)).isEqualTo(encode.length + 2);
  }

  @Test
  void tokenize_shortText_padsWithZerosTo77() {
    long[] ids = TOKENIZER.tokenize("hello!!! world???");

    assertThat(ids).hasSize(ClipTokenizer.CONTEXT_LENGTH);
    assertThat(Arrays.copyOf(ids, 6)).containsExactly(49406, 3306, 995, 1002, 3824, 49407);
    assertThat(Arrays.copyOfRange(ids, 6, 77)).containsOnly(0L);
  }

  @Test
  void tokenize_emptyText_isStartEndThenZeros() {
    long[] ids = TOKENIZER.tokenize("  \n\t ");

    assertThat(Arrays.copyOf(ids, 2))
        .containsExactly(ClipTokenizer.START_OF_TEXT, ClipTokenizer.END_OF_TEXT);
    assertThat(Arrays.copyOfRange(ids, 2, 77)).containsOnly(0L);
    assertThat(TOKENIZER.tokenCount("")).isEqualTo(2);
  }

  @Test
  void tokenize_tooLongText_keepsFirst76IdsAndEndsWithEndOfText() {
    String text = "cat ".repeat(100);
    int[] encoded = TOKENIZER.encode(text);

    long[] ids = TOKENIZER.tokenize(text);

    assertThat(encoded).hasSize(100).containsOnly(2368);
    assertThat(ids).hasSize(77);
    assertThat(ids[0]).isEqualTo(49406);
    assertThat(Arrays.copyOfRange(ids, 1, 76)).containsOnly(2368L);
    assertThat(ids[76]).isEqualTo(49407);
  }

  @Test
  void tokenize_exactly77Ids_isNotTruncated() {
    String text = "cat ".repeat(75);

    long[] ids = TOKENIZER.tokenize(text);

    assertThat(TOKENIZER.tokenCount(text)).isEqualTo(77);
    assertThat(ids[75]).isEqualTo(2368);
    assertThat(ids[76]).isEqualTo(49407);
  }

  @Test
  void tokenCount_includesStartAndEnd_andIsNotCappedAt77() {
    assertThat(TOKENIZER.tokenCount("a photo of a cat")).isEqualTo(7);
    assertThat(TOKENIZER.tokenCount("cat ".repeat(100))).isEqualTo(102);
  }

  @Test
  void load_returnsSharedInstance() {
    assertThat(ClipTokenizer.load()).isSameAs(TOKENIZER);
  }

  @Test
  void fromResource_missingResource_throwsNamingIt() {
    assertThatThrownBy(() -> ClipTokenizer.fromResource("/clip/missing.txt.gz"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/clip/missing.txt.gz");
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).intValue();
    }
    return values;
  }
}
