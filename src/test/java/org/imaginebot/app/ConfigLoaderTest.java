package org.imaginebot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.imaginebot.config.ConfigException;
import org.imaginebot.config.ConfigKeys;
import org.imaginebot.engine.EngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigLoaderTest {

  private static final Path APPLICATION_YAML = Path.of("config/application.yaml");

  @TempDir Path dir;

  @Test
  void load_realApplicationYaml_hasTheDocumentedDefaults() {
    EngineConfig engine = ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of()).engine();

    assertThat(engine)
        .isEqualTo(
            new EngineConfig(
                Path.of("config/models.yaml"),
                Path.of("models"),
                "tiny",
                "adam",
                100,
                1000,
                32,
                0.07,
                1.0,
                0.7,
                15,
                10,
                0,
                "auto",
                Path.of("data/cpu-kernels.properties"),
                true));
  }

  @Test
  void load_envOverride_winsOverYaml() {
    AppConfig config =
        ConfigLoader.load(
            APPLICATION_YAML,
            Map.of(
                "IMAGINE_ENGINE_DEFAULT_MODEL",
                "tiny-stylegan",
                "IMAGINE_ENGINE_MAX_STEPS",
                "500",
                "IMAGINE_ENGINE_SEARCH_TOP_K",
                "3",
                "IMAGINE_ENGINE_LEARNING_RATE",
                "0.5"),
            Map.of());

    assertThat(config.engine().defaultModel()).isEqualTo("tiny-stylegan");
    assertThat(config.engine().maxSteps()).isEqualTo(500);
    assertThat(config.engine().searchTopK()).isEqualTo(3);
    assertThat(config.engine().learningRate()).isEqualTo(0.5);
  }

  @Test
  void load_setOverride_winsOverEnv() {
    AppConfig config =
        ConfigLoader.load(
            APPLICATION_YAML,
            Map.of("IMAGINE_ENGINE_CUTOUTS", "16"),
            Map.of("engine.cutouts", "8", "engine.modelsDir", "/opt/models"));

    assertThat(config.engine().cutouts()).isEqualTo(8);
    assertThat(config.engine().modelsDir()).isEqualTo(Path.of("/opt/models"));
  }

  @Test
  void load_unrelatedEnvironment_isIgnored() {
    AppConfig config =
        ConfigLoader.load(
            APPLICATION_YAML,
            Map.of("PATH", "/usr/bin", "IMAGINE_NO_SUCH_KEY", "1", "DISCORD_TOKEN", "secret"),
            Map.of());

    assertThat(config.engine().maxSteps()).isEqualTo(1000);
  }

  @Test
  void load_unknownYamlKey_namesItAndListsTheSectionsKeys() throws IOException {
    Path file = withLine("maxSteps: 1000", "maxSteps: 1000\n  maxStep: 10");

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .withMessageContaining("unknown key 'engine.maxStep' in " + file)
        .withMessageContaining(
            "known keys of engine: manifest, modelsDir, defaultModel, defaultStrategy,"
                + " defaultSteps, maxSteps, cutouts, learningRate, truncation, styleTruncation, searchTopK, previewEvery, threads");
  }

  @Test
  void load_unknownYamlSection_listsKnownSections() throws IOException {
    Path file = write(Files.readString(APPLICATION_YAML) + "\nteams:\n  token: 3\n");

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .withMessage(
            "unknown key 'teams' in "
                + file
                + "; known sections: engine, cache, queue, worker, limits, redis, server, discord,"
                + " slack");
  }

  @Test
  void load_unknownSetKey_namesItAndListsTheSectionsKeys() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () -> ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of("engine.steps", "5")))
        .withMessageStartingWith(
            "unknown key 'engine.steps' in --set; known keys of engine: manifest,")
        .withMessageContaining("maxSteps");
  }

  @Test
  void load_setOfASection_isAnError() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of("engine", "x")))
        .withMessageStartingWith(
            "'engine' in --set is a section, not a key; known keys of engine: manifest,");
  }

  @Test
  void load_badTypeFromSet_namesKeyValueAndSource() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () -> ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of("engine.maxSteps", "abc")))
        .withMessage("engine.maxSteps must be an integer, got 'abc' (from --set engine.maxSteps)");
  }

  @Test
  void load_badTypeFromEnv_namesTheVariable() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () ->
                ConfigLoader.load(
                    APPLICATION_YAML, Map.of("IMAGINE_ENGINE_LEARNING_RATE", "fast"), Map.of()))
        .withMessage(
            "engine.learningRate must be a number, got 'fast' (from IMAGINE_ENGINE_LEARNING_RATE)");
  }

  @Test
  void load_badTypeInYaml_namesKeyValueAndFile() throws IOException {
    Path file = withLine("maxSteps: 1000", "maxSteps: 1.5");

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .withMessage("engine.maxSteps must be an integer, got 1.5 (in " + file + ")");
  }

  @Test
  void load_listWhereAValueBelongs_isATypeError() throws IOException {
    Path file = withLine("defaultStrategy: adam", "defaultStrategy: [adam, search]");

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .withMessageStartingWith("engine.defaultStrategy must be a string, got a list");
  }

  @Test
  void load_outOfRange_namesKeyValueAndRange() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () -> ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of("engine.maxSteps", "0")))
        .withMessage(
            "engine.maxSteps must be between 1 and 100000, got 0 (from --set engine.maxSteps)");
  }

  @Test
  void load_outOfRangeInYaml_saysWhichFile() throws IOException {
    Path file = withLine("cutouts: 32", "cutouts: 1024");

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .withMessage("engine.cutouts must be between 1 and 512, got 1024 (in " + file + ")");
  }

  @Test
  void load_defaultStepsAboveMaxSteps_isAnError() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () -> ConfigLoader.load(APPLICATION_YAML, Map.of(), Map.of("engine.maxSteps", "50")))
        .withMessageStartingWith(
            "engine.defaultSteps must be between 1 and engine.maxSteps (50), got 100");
  }

  @Test
  void load_unknownStrategy_listsTheAllowedOnes() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () ->
                ConfigLoader.load(
                    APPLICATION_YAML,
                    Map.of("IMAGINE_ENGINE_DEFAULT_STRATEGY", "genetic"),
                    Map.of()))
        .withMessageStartingWith(
            "engine.defaultStrategy must be one of adam, search, auto, evolve, got 'genetic'");
  }

  @Test
  void load_missingKey_namesItAndItsVariable() throws IOException {
    Path file = withLine("threads: 0", "");

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .withMessage(
            "engine.threads is not set; add it to " + file + " or set IMAGINE_ENGINE_THREADS");
  }

  @Test
  void load_missingKeyGivenByEnv_isFine() throws IOException {
    Path file = withLine("threads: 0", "");

    AppConfig config = ConfigLoader.load(file, Map.of("IMAGINE_ENGINE_THREADS", "2"), Map.of());

    assertThat(config.engine().threads()).isEqualTo(2);
  }

  @Test
  void load_missingFile_namesThePath() {
    Path missing = dir.resolve("nope.yaml");

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ConfigLoader.load(missing, Map.of(), Map.of()))
        .withMessageStartingWith("config file " + missing + " does not exist");
  }

  @Test
  void load_invalidYaml_namesFileAndLine() throws IOException {
    Path file = write("engine:\n  manifest: x\n  manifest: y\n");

    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .withMessageStartingWith("config file " + file + " is not valid YAML (line 3")
        .withMessageContaining("Duplicate field 'manifest'");
  }

  @Test
  void envName_isIMAGINEPlusUpperSnakeCase() {
    assertThat(ConfigKeys.envName("engine.defaultModel")).isEqualTo("IMAGINE_ENGINE_DEFAULT_MODEL");
    assertThat(ConfigKeys.envName("engine.maxSteps")).isEqualTo("IMAGINE_ENGINE_MAX_STEPS");
    assertThat(ConfigKeys.envName("engine.searchTopK")).isEqualTo("IMAGINE_ENGINE_SEARCH_TOP_K");
    assertThat(ConfigKeys.envName("queue.backend")).isEqualTo("IMAGINE_QUEUE_BACKEND");
  }

  private Path withLine(String line, String replacement) throws IOException {
    String yaml = Files.readString(APPLICATION_YAML);
    assertThat(yaml).contains(line);
    return write(yaml.replace(line, replacement));
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("application.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void load_badLimitDefault_namesTheLimitsKey() {
    assertThatExceptionOfType(ConfigException.class)
        .isThrownBy(
            () ->
                ConfigLoader.load(
                    APPLICATION_YAML, Map.of("IMAGINE_LIMITS_MAX_STEPS", "0"), Map.of()))
        .withMessageContaining("limits.maxSteps must be a whole number from 1 to 100000, got '0'");
  }

  @Test
  void load_bundledFile_hasEveryLiveSettingDefault() {
    AppConfig config =
        ConfigLoader.load(
            APPLICATION_YAML, Map.of(), Map.of("limits.bannedWords", "gore, red panda"));

    assertThat(config.limits().toScopeSettings().bannedWords())
        .containsExactly("gore", "red panda");
    assertThat(config.limits().toScopeSettings().allowsStrategy("search")).isTrue();
    assertThat(config.worker().maxJobTime()).hasMinutes(10);
    assertThat(config.queue().database()).startsWith("jdbc:h2:file:");
  }
}
