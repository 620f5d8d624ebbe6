package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.imaginebot.engine.tokenizer.ClipTokenizer;

/**
 * CLIP's two encoders: text ids to an embedding, and images (batches of 224x224 in [0,1]) to
 * embeddings, with CLIP's own pixel normalization applied here.
 */
final class ClipModel implements AutoCloseable {

  static final int INPUT_SIZE = 224;
  private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
  private static final int TEXT_BATCH = 64;

  private final TorchScriptModule imageEncoder;
  private final TorchScriptModule textEncoder;
  private final ClipTokenizer tokenizer;
  private final NDArray mean;
  private final NDArray std;
  private NDArray labelEmbeddings;

  ClipModel(
      TorchScriptModule imageEncoder, TorchScriptModule textEncoder, ClipTokenizer tokenizer) {
    this.imageEncoder = imageEncoder;
    this.textEncoder = textEncoder;
    this.tokenizer = tokenizer;
    NDManager manager = imageEncoder.manager();
    this.mean = manager.create(MEAN, new Shape(1, 3, 1, 1));
    this.std = manager.create(STD, new Shape(1, 3, 1, 1));
  }

  /** Embeds each text; one row per text, in order. No gradient. */
  NDArray encodeTexts(NDManager manager, List<String> texts) {
    NDList batches = new NDList();
    for (int start = 0; start < texts.size(); start += TEXT_BATCH) {
      List<String> batch = texts.subList(start, Math.min(texts.size(), start + TEXT_BATCH));
      long[] ids = new long[batch.size() * ClipTokenizer.CONTEXT_LENGTH];
      for (int i = 0; i < batch.size(); i++) {
        System.arraycopy(
            tokenizer.tokenize(batch.get(i)),
            0,
            ids,
            i * ClipTokenizer.CONTEXT_LENGTH,
            ClipTokenizer.CONTEXT_LENGTH);
      }
      NDArray tokens = manager.create(ids, new Shape(batch.size(), ClipTokenizer.CONTEXT_LENGTH));
      batches.add(textEncoder.forward(new NDList(tokens)).singletonOrThrow());
    }
    return batches.size() == 1 ? batches.head() : NDArrays.concat(batches, 0);
  }

  /** Embeds the text of one token-id row (exactly as given, for replaying a reference run). */
  NDArray encodeTokens(NDManager manager, long[] tokenIds) {
    NDArray tokens = manager.create(tokenIds, new Shape(1, tokenIds.length));
    return textEncoder.forward(new NDList(tokens)).singletonOrThrow();
  }

  /** Normalizes and embeds images in [0,1], shape (N,3,224,224); keeps the autograd graph. */
  NDArray encodeImagesWithGrad(NDArray images01) {
    NDArray normalized = images01.sub(mean).div(std);
    return imageEncoder.forwardWithGrad(new NDList(normalized)).singletonOrThrow();
  }

  /** Normalizes and embeds images in [0,1], shape (N,3,224,224); no gradient. */
  NDArray encodeImages(NDArray images01) {
    NDArray normalized = images01.sub(mean).div(std);
    return imageEncoder.forward(new NDList(normalized)).singletonOrThrow();
  }

  /** Embeddings of "an image of {label}" for the 1000 ImageNet classes, computed once. */
  synchronized NDArray imageNetLabelEmbeddings() {
    if (labelEmbeddings == null) {
      List<String> texts = ImageNetClasses.load().stream().map(l -> "an image of " + l).toList();
      labelEmbeddings = encodeTexts(imageEncoder.manager(), texts);
    }
    return labelEmbeddings;
  }

  @Override
  public void close() {
    imageEncoder.close();
    textEncoder.close();
  }
}
