package org.imaginebot.render;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Four candidate images on one 2x2 sheet, numbered as read: 1 top left, 2 top right, 3 bottom left,
 * 4 bottom right (the Refine and Vary buttons count the same way). No borders or labels, so a
 * candidate's pixels on the sheet are its own.
 */
public final class ContactSheet {

  /** Candidates on one sheet. */
  public static final int CELLS = 4;

  private static final int COLUMNS = 2;

  private ContactSheet() {}

  /**
   * The sheet of {@code pngs}, each cell the size of the first image.
   *
   * @throws IllegalArgumentException unless there are {@value #CELLS} images of one size
   */
  public static byte[] compose(List<byte[]> pngs) {
    if (pngs.size() != CELLS) {
      throw new IllegalArgumentException(
          "a contact sheet holds " + CELLS + " images, got " + pngs.size());
    }
    BufferedImage first = Png.decode(pngs.get(0));
    int width = first.getWidth();
    int height = first.getHeight();
    BufferedImage sheet =
        new BufferedImage(COLUMNS * width, COLUMNS * height, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < CELLS; i++) {
      BufferedImage cell = i == 0 ? first : Png.decode(pngs.get(i));
      if (cell.getWidth() != width || cell.getHeight() != height) {
        throw new IllegalArgumentException(
            "candidate "
                + (i + 1)
                + " is "
                + cell.getWidth()
                + "x"
                + cell.getHeight()
                + ", the first is "
                + width
                + "x"
                + height);
      }
      int[] rgb = cell.getRGB(0, 0, width, height, null, 0, width);
      sheet.setRGB((i % COLUMNS) * width, (i / COLUMNS) * height, width, height, rgb, 0, width);
    }
    return Png.encode(sheet);
  }

  /** Cell {@code i} (0-based) of a sheet {@link #compose} made, as a PNG. */
  public static byte[] cell(byte[] sheetPng, int i) {
    if (i < 0 || i >= CELLS) {
      throw new IllegalArgumentException("a contact sheet has cells 1 to " + CELLS);
    }
    BufferedImage sheet = Png.decode(sheetPng);
    int width = sheet.getWidth() / COLUMNS;
    int height = sheet.getHeight() / COLUMNS;
    BufferedImage cell = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] rgb =
        sheet.getRGB((i % COLUMNS) * width, (i / COLUMNS) * height, width, height, null, 0, width);
    cell.setRGB(0, 0, width, height, rgb, 0, width);
    return Png.encode(cell);
  }
}
