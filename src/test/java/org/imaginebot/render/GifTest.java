package org.imaginebot.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

final class GifTest {

  private static byte[] frame(int side, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        image.setRGB(x, y, random.nextInt(0xFFFFFF));
      }
    }
    return Png.encode(image);
  }

  private static List<BufferedImage> read(byte[] gif, List<Integer> delays) throws Exception {
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    List<BufferedImage> frames = new ArrayList<>();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
      reader.setInput(in);
      int count = reader.getNumImages(true);
      for (int i = 0; i < count; i++) {
        frames.add(reader.read(i));
        IIOMetadataNode root =
            (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
        IIOMetadataNode control =
            (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
        delays.add(Integer.parseInt(control.getAttribute("delayTime")));
      }
    } finally {
      reader.dispose();
    }
    return frames;
  }

  @Test
  void timelapse_writesAnAnimatedGifWithEveryFrameAndTheDelay() throws Exception {
    List<byte[]> pngs = List.of(frame(64, 1), frame(64, 2), frame(64, 3));

    byte[] gif = Gif.timelapse(pngs, Duration.ofMillis(200), 10L << 20);

    assertThat(new String(gif, 0, 6, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("GIF89a");
    assertThat(new String(gif, java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("NETSCAPE2.0");
    List<Integer> delays = new ArrayList<>();
    List<BufferedImage> frames = read(gif, delays);
    assertThat(frames).hasSize(3).allSatisfy(f -> assertThat(f.getWidth()).isEqualTo(64));
    assertThat(delays).containsOnly(20);
  }

  @Test
  void timelapse_overTheLimit_scalesFramesDownUntilItFits() throws Exception {
    List<byte[]> pngs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pngs.add(frame(256, i));
    }
    long unscaled = Gif.timelapse(pngs, Duration.ofMillis(100), Long.MAX_VALUE).length;

    byte[] gif = Gif.timelapse(pngs, Duration.ofMillis(100), unscaled / 4);

    assertThat((long) gif.length).isLessThanOrEqualTo(unscaled / 4);
    List<BufferedImage> frames = read(gif, new ArrayList<>());
    assertThat(frames).hasSize(8);
    assertThat(frames.get(0).getWidth()).isLessThan(256);
  }

  @Test
  void timelapse_noFramesOrImpossibleLimit_isRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Gif.timelapse(List.of(), Duration.ofMillis(100), 1000))
        .withMessage("a timelapse needs at least one frame");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Gif.timelapse(List.of(frame(64, 1)), Duration.ofMillis(100), 10))
        .withMessageContaining("does not fit in 10 bytes");
  }
}
