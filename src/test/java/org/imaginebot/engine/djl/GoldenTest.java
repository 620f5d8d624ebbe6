package org.imaginebot.engine.djl;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.imaginebot.models.ModelManifest;
import org.junit.jupiter.api.Test;

/** The checks the fidelity tests share refuse a golden computed on other model files. */
final class GoldenTest {

  private final ModelManifest manifest = TinyModels.manifest(TinyModels.config(Map.of()));

  @Test
  void sameModels_passesForTheFilesTheManifestLoads() throws Exception {
    ObjectNode golden =
        goldenWith(Golden.sha256(manifest.require("tiny").file("generator").path()));
    assertThatCode(
            () -> Golden.assertSameModels(golden, List.of("biggan.pt"), manifest.require("tiny")))
        .doesNotThrowAnyException();
  }

  @Test
  void sameModels_failsWhenTheGoldensSha256Differs() {
    ObjectNode golden = goldenWith("0".repeat(64));
    assertThatThrownBy(
            () -> Golden.assertSameModels(golden, List.of("biggan.pt"), manifest.require("tiny")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("biggan.pt")
        .hasMessageContaining("regenerate the golden");
  }

  @Test
  void tolerance_isRelativeAwayFromZeroAndAbsoluteNearIt() {
    assertThatCode(() -> Golden.assertClose(100.09, 100.0, "relative")).doesNotThrowAnyException();
    assertThatThrownBy(() -> Golden.assertClose(100.2, 100.0, "relative"))
        .isInstanceOf(AssertionError.class);
    assertThatCode(() -> Golden.assertClose(8e-6, 0.0, "absolute")).doesNotThrowAnyException();
    assertThatThrownBy(() -> Golden.assertClose(2e-5, 0.0, "absolute"))
        .isInstanceOf(AssertionError.class);
  }

  private static ObjectNode goldenWith(String sha256) {
    ObjectNode golden = JsonNodeFactory.instance.objectNode();
    golden.putObject("models").put("biggan.pt", sha256);
    return golden;
  }
}
