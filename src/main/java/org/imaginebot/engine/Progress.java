package org.imaginebot.engine;

/**
 * One step of a run, as reported to a {@link ProgressListener}.
 *
 * @param step 1-based step just finished
 * @param total steps the run will take
 * @param loss the step's loss (for {@code search}: minus 100 times the candidate's CLIP score)
 * @param clipScore weighted CLIP cosine similarity of this step's image to the prompts
 * @param previewPng the best image so far as PNG on preview steps (and the last step); else null
 */
public record Progress(int step, int total, double loss, double clipScore, byte[] previewPng) {

  public boolean hasPreview() {
    return previewPng != null;
  }
}
