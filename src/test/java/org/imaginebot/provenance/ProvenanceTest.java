package org.imaginebot.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.imaginebot.engine.EngineFingerprint;
import org.imaginebot.render.Png;
import org.imaginebot.request.GenerationRequest;
import org.imaginebot.request.ImagePrompt;
import org.imaginebot.request.SeedSource;
import org.imaginebot.request.Strategy;
import org.imaginebot.request.WeightedPrompt;
import org.junit.jupiter.api.Test;

final class ProvenanceTest {

  private static final EngineFingerprint ENGINE =
      new EngineFingerprint(
          EngineFingerprint.REVISION,
          4,
          0.07,
          1.0,
          0.7,
          15,
          Map.of("tiny/generator", "9a".repeat(32), "tiny-clip/text", "eb".repeat(32)));

  private static byte[] png(float shade) {
    float[] chw = new float[3 * 2 * 2];
    java.util.Arrays.fill(chw, shade);
    return Png.encode(Png.fromPlanar(chw, 2, 2));
  }

  private static GenerationRequest request(List<ImagePrompt> images) {
    return new GenerationRequest(
        List.of(
            new WeightedPrompt("a lighthouse — 灯台", 1.0),
            new WeightedPrompt("oil painting", 0.5),
            new WeightedPrompt("blurry", -1.0)),
        "tiny",
        Strategy.ADAM,
        3,
        42,
        32,
        SeedSource.DERIVED,
        5,
        images);
  }

  @Test
  void json_roundTrips_isAscii_andTheSameForTheSameRequest() {
    Provenance provenance = Provenance.of(request(List.of()), ENGINE);

    String json = provenance.toJson();

    assertThat(json).isEqualTo(Provenance.of(request(List.of()), ENGINE).toJson());
    assertThat(json.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    assertThat(json)
        .startsWith("{\"format\":1,\"prompts\":[")
        .contains("\"seed\":42", "\"variation\":5", "\"seedSource\":\"DERIVED\"")
        .contains("\"modelFiles\":{\"tiny-clip/text\":\"" + "eb".repeat(32))
        .contains("\"engine\":{\"revision\":1,\"cutouts\":4");
    assertThat(Provenance.fromJson(json)).contains(provenance);
  }

  @Test
  void parentJob_isWrittenLastOnlyWhenKnown_andReadBack_thePixelsUntouched() {
    Provenance own = Provenance.of(request(List.of()), ENGINE);
    byte[] stamped = own.stamp(png(0.5f));

    byte[] child = Provenance.withParentJob(stamped, "job-parent-1");

    assertThat(own.toJson()).doesNotContain("parent_job");
    assertThat(own.withParentJob("job-parent-1").toJson())
        .isEqualTo(own.toJson().replaceFirst("}$", ",\"parent_job\":\"job-parent-1\"}"));
    assertThat(Provenance.read(child)).contains(own.withParentJob("job-parent-1"));
    assertThat(Provenance.read(stamped).orElseThrow().parentJob()).isNull();
    assertThat(Png.decode(child).getRGB(1, 1)).isEqualTo(Png.decode(stamped).getRGB(1, 1));
    assertThat(Provenance.withParentJob(stamped, null)).isSameAs(stamped);
    // dropping the parent again gives the own image's bytes back
    assertThat(Provenance.read(child).orElseThrow().withParentJob(null).stamp(child))
        .isEqualTo(stamped);
  }

  @Test
  void imagePrompts_areRecordedBySha256_andTakenFromWhatIsSuppliedByIt() {
    ImagePrompt red = new ImagePrompt(png(1f), 0.5);
    Provenance provenance = Provenance.of(request(List.of(red)), ENGINE);
    Provenance read = Provenance.fromJson(provenance.toJson()).orElseThrow();

    assertThat(provenance.toJson()).contains(red.sha256()).doesNotContain("\"png\"");
    assertThat(read.images()).containsExactly(new Provenance.ImageRef(red.sha256(), 0.5));
    assertThat(read.request(List.of(new ImagePrompt(png(1f), 3.0), new ImagePrompt(png(0f), 1))))
        .isEqualTo(request(List.of(red)));
    assertThatThrownBy(() -> read.request(List.of(new ImagePrompt(png(0f), 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(red.sha256());
  }

  @Test
  void stamp_isReadBackFromThePng_andAPngWithoutItOrWithBrokenJsonHasNone() {
    Provenance provenance = Provenance.of(request(List.of()), ENGINE);

    byte[] stamped = provenance.stamp(png(0.5f));

    assertThat(Provenance.read(stamped)).contains(provenance);
    assertThat(Provenance.read(png(0.5f))).isEmpty();
    assertThat(Provenance.hasChunk(png(0.5f))).isFalse();
    byte[] broken = Png.withText(png(0.5f), Provenance.KEYWORD, "{\"format\":1,\"prompts\":[");
    assertThat(Provenance.read(broken)).isEmpty();
    assertThat(Provenance.hasChunk(broken)).isTrue();
    assertThat(Provenance.fromJson("{\"format\":99}")).isEmpty();
  }
}
