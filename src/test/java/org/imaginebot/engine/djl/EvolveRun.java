package org.imaginebot.engine.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.imaginebot.engine.CancellationSignal;

/**
 * The {@code evolve} run the fidelity golden describes: the engine's GA on the tiny BigGAN with its
 * discriminator, for one seed and prompt, observed generation by generation. {@link #main} exports
 * its genes for scripts/reference/evolve_reference.py.
 */
final class EvolveRun {

  static final String MODEL = "tiny";
  static final long SEED = 4004;
  static final String PROMPT = "a red bird on a branch";

  /** One scored generation: copies of its genes and Java's fitness of each individual. */
  record Generation(float[][] genes, double[] fitness) {}

  private EvolveRun() {}

  /** The first {@code count} generations of the run, with population {@code population}. */
  static List<Generation> generations(
      DjlEngine engine, GeneticSearch.Settings settings, long seed, int count) {
    ClipModel clip = engine.clip("tiny-clip");
    List<Generation> seen = new ArrayList<>();
    try (NDManager run = NDManager.newBaseManager("PyTorch")) {
      PromptTargets targets =
          new PromptTargets(new NDList(clip.encodeTexts(run, List.of(PROMPT))), new double[] {1});
      new GeneticSearch(
              clip, engine.bigGan(MODEL), settings, Integer.MAX_VALUE, engine.discriminator(MODEL))
          .run(
              run,
              targets,
              new Random(seed),
              count,
              p -> {},
              new CancellationSignal(),
              (generation, population, fitness) -> {
                float[][] copy = new float[population.length][];
                for (int i = 0; i < copy.length; i++) {
                  copy[i] = population[i].clone();
                }
                seen.add(new Generation(copy, fitness.clone()));
              });
    }
    return seen;
  }

  static GeneticSearch.Settings engineSettings() {
    return GeneticSearch.Settings.defaults(DjlEngine.EVOLVE_POPULATION);
  }

  /** SHA-256 of the genes as little-endian float32, individual after individual. */
  static String sha256(float[][] genes) {
    ByteBuffer bytes =
        ByteBuffer.allocate(genes.length * genes[0].length * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    for (float[] individual : genes) {
      for (float gene : individual) {
        bytes.putFloat(gene);
      }
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the genes of the first two generations to the JSON file named by the only argument:
   * {@code {model, seed, prompt, population, generations: [[[gene...]...]...]}}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: EvolveRun OUTPUT.json");
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("model", MODEL).put("seed", SEED).put("prompt", PROMPT);
    root.put("population", DjlEngine.EVOLVE_POPULATION);
    root.put("realismWeight", GeneticSearch.REALISM_WEIGHT);
    ArrayNode generations = root.putArray("generations");
    try (DjlEngine engine = TinyModels.engine(Map.of())) {
      for (Generation generation : generations(engine, engineSettings(), SEED, 2)) {
        ArrayNode individuals = generations.addArray();
        for (float[] genes : generation.genes()) {
          ArrayNode row = individuals.addArray();
          for (float gene : genes) {
            row.add(gene);
          }
        }
      }
    }
    json.writeValue(Path.of(args[0]).toFile(), root);
  }
}
