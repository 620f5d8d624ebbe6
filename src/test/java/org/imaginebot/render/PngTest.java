package org.imaginebot.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

final class PngTest {

  private static byte[] png() {
    float[] chw = new float[3 * 4 * 5];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (i % 7) / 7f;
    }
    return Png.encode(Png.fromPlanar(chw, 4, 5));
  }

  private static int[] pixels(byte[] png) {
    BufferedImage image = Png.decode(png);
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  @Test
  void withText_isReadBack_keepsThePixels_andIsDeterministic() {
    byte[] plain = png();

    byte[] stamped = Png.withText(plain, "imagine-bot", "{\"seed\":7}");

    assertThat(Png.text(stamped, "imagine-bot")).contains("{\"seed\":7}");
    assertThat(Png.text(stamped, "Comment")).isEmpty();
    assertThat(pixels(stamped)).isEqualTo(pixels(plain));
    assertThat(Png.withText(png(), "imagine-bot", "{\"seed\":7}")).isEqualTo(stamped);
    assertThat(Png.resize(stamped, 8)).as("still a PNG every reader takes").isNotEmpty();
  }

  @Test
  void withText_isAChunkOtherReadersSee_theJdksPngReaderHere() throws Exception {
    byte[] stamped = Png.withText(png(), "imagine-bot", "{\"seed\":7}");

    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(stamped))) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      reader.setInput(in);
      Node root =
          reader.getImageMetadata(0).getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName);
      String text = "";
      for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n.getNodeName().equals("Text")) {
          Element entry = (Element) n.getFirstChild();
          text = entry.getAttribute("keyword") + "=" + entry.getAttribute("value");
        }
      }
      assertThat(text).isEqualTo("imagine-bot={\"seed\":7}");
    }
  }

  @Test
  void withText_replacesTheChunkOfTheSameKeyword_keepsOthers() {
    byte[] twice =
        Png.withText(
            Png.withText(Png.withText(png(), "imagine-bot", "old"), "Comment", "kept"),
            "imagine-bot",
            "new");

    assertThat(Png.text(twice, "imagine-bot")).contains("new");
    assertThat(Png.text(twice, "Comment")).contains("kept");
    assertThat(new String(twice, StandardCharsets.ISO_8859_1)).doesNotContain("old");
  }

  @Test
  void text_isEmpty_withoutTheChunk_orForABrokenFile() {
    byte[] stamped = Png.withText(png(), "imagine-bot", "{\"seed\":7}");
    byte[] badCrc = stamped.clone();
    int textAt = new String(stamped, StandardCharsets.ISO_8859_1).indexOf("tEXt");
    badCrc[textAt + 6] ^= 1; // a byte of the keyword's chunk, so its CRC no longer matches

    assertThat(Png.text(png(), "imagine-bot")).isEmpty();
    assertThat(Png.text(badCrc, "imagine-bot")).isEmpty();
    assertThat(Png.text(Arrays.copyOf(stamped, textAt + 10), "imagine-bot")).isEmpty();
    assertThat(Png.text("GIF89a not a png at all, long enough".getBytes(), "imagine-bot"))
        .isEmpty();
  }

  @Test
  void withText_refusesWhatTextCannotHold() {
    assertThatThrownBy(() -> Png.withText(png(), "imagine-bot", "ünïcode ok, but not \u4e00"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Latin-1");
    assertThatThrownBy(() -> Png.withText(png(), "", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Png.withText(new byte[40], "imagine-bot", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a PNG");
  }
}
