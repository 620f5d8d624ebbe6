package org.imaginebot.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Animated GIFs of a run's previews (a timelapse), with the JDK's own GIF writer: looping, a fixed
 * frame delay, and frames scaled down until the file fits a size limit (Discord: 10 MiB).
 */
public final class Gif {

  private static final String FORMAT = "javax_imageio_gif_image_1.0";

  /** Frames are not scaled below this side: a smaller timelapse is not worth sending. */
  private static final int MIN_SIDE = 32;

  private Gif() {}

  /**
   * A looping GIF of {@code pngFrames} in order.
   *
   * @param frameDelay how long each frame shows (GIF counts in hundredths of a second)
   * @param maxBytes the largest file wanted; frames are scaled by 3/4 until it fits
   * @throws IllegalArgumentException when there are no frames, or even {@value #MIN_SIDE}-pixel
   *     frames do not fit
   */
  public static byte[] timelapse(List<byte[]> pngFrames, Duration frameDelay, long maxBytes) {
    if (pngFrames.isEmpty()) {
      throw new IllegalArgumentException("a timelapse needs at least one frame");
    }
    List<BufferedImage> frames = new ArrayList<>(pngFrames.size());
    pngFrames.forEach(png -> frames.add(Png.decode(png)));
    int side = Math.max(frames.get(0).getWidth(), frames.get(0).getHeight());
    while (true) {
      byte[] gif = encode(scaled(frames, side), frameDelay);
      if (gif.length <= maxBytes) {
        return gif;
      }
      int smaller = side * 3 / 4;
      if (smaller < MIN_SIDE) {
        throw new IllegalArgumentException(
            "a timelapse of "
                + frames.size()
                + " frames does not fit in "
                + maxBytes
                + " bytes even at "
                + side
                + " pixels");
      }
      side = smaller;
    }
  }

  private static List<BufferedImage> scaled(List<BufferedImage> frames, int side) {
    if (frames.get(0).getWidth() == side && frames.get(0).getHeight() == side) {
      return frames;
    }
    List<BufferedImage> out = new ArrayList<>(frames.size());
    for (BufferedImage frame : frames) {
      BufferedImage small = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = small.createGraphics();
      try {
        g.setRenderingHint(
            RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(frame, 0, 0, side, side, null);
      } finally {
        g.dispose();
      }
      out.add(small);
    }
    return out;
  }

  private static byte[] encode(List<BufferedImage> frames, Duration frameDelay) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : frames) {
        writer.writeToSequence(
            new IIOImage(frame, null, metadata(writer, frame, frameDelay)), null);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the GIF", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Per-frame metadata: the delay, and on every frame the NETSCAPE loop block (loop forever). */
  private static IIOMetadata metadata(ImageWriter writer, BufferedImage frame, Duration frameDelay)
      throws IOException {
    ImageWriteParam param = writer.getDefaultWriteParam();
    IIOMetadata metadata =
        writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "none");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("delayTime", Long.toString(Math.max(1, frameDelay.toMillis() / 10)));
    control.setAttribute("transparentColorIndex", "0");
    IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
    app.setAttribute("applicationID", "NETSCAPE");
    app.setAttribute("authenticationCode", "2.0");
    app.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
    child(root, "ApplicationExtensions").appendChild(app);
    metadata.setFromTree(FORMAT, root);
    return metadata;
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }
}
