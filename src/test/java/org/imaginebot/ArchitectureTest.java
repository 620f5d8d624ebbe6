package org.imaginebot;

import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * The package structure the build enforces, on production classes only. A broken rule names each
 * offending class and the dependency that breaks it.
 */
@AnalyzeClasses(packages = "org.imaginebot", importOptions = ImportOption.DoNotIncludeTests.class)
final class ArchitectureTest {

  /**
   * Top-level packages ({@code bot} with {@code bot.discord}, {@code engine} with its
   * sub-packages).
   */
  @ArchTest
  static final ArchRule topLevelPackagesAreFreeOfCycles =
      slices().matching("org.imaginebot.(*)..").should().beFreeOfCycles();

  /**
   * Every package on its own, so {@code bot} cannot use {@code bot.discord} nor {@code engine} its
   * {@code djl}.
   */
  @ArchTest
  static final ArchRule everyPackageIsFreeOfCycles =
      slices().matching("org.imaginebot.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyEngineDjlUsesDjl =
      noClasses()
          .that()
          .resideOutsideOfPackage("org.imaginebot.engine.djl..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("ai.djl..")
          .because(
              "DJL and libtorch stay behind the Engine interface, so the bot and the cache never load native code");

  @ArchTest
  static final ArchRule engineKnowsNothingOfTheBot =
      noClasses()
          .that()
          .resideInAPackage("org.imaginebot.engine..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.imaginebot.bot..",
              "org.imaginebot.queue..",
              "org.imaginebot.worker..",
              "org.imaginebot.app..")
          .because(
              "the engine turns a request into an image and is used alike by generate, serve and bench");

  @ArchTest
  static final ArchRule onlyTheWiringKnowsTheCluster =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "org.imaginebot.cluster..", "org.imaginebot.app..", "org.imaginebot.bench..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.imaginebot.cluster..")
          .because(
              "the Redis backend plugs in behind the core's interfaces (JobQueue, JobEvents,"
                  + " JobRunners, RequestLimiter, ScopePauses): the core and adapters work unchanged"
                  + " in one process or in a cluster (benchmarks build what serve runs)");

  @ArchTest
  static final ArchRule onlyTheClusterUsesRedis =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "org.imaginebot.cluster..", "org.imaginebot.app..", "org.imaginebot.bench..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.lettuce..")
          .because("Redis stays behind the cluster package");

  @ArchTest
  static final ArchRule onlyTheJarsCommandsUseTheBenchmarks =
      noClasses()
          .that()
          .resideOutsideOfPackages("org.imaginebot.bench..", "org.imaginebot.app..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.imaginebot.bench..")
          .because(
              "benchmarks and the fake Discord and Slack they drive are main code only so that"
                  + " `bench` can run them from the jar; the bot itself never reaches them");

  @ArchTest
  static final ArchRule discordAdapterUsesOnlyTheCore =
      noClasses()
          .that()
          .resideInAPackage("org.imaginebot.bot.discord..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.imaginebot.engine.djl..", "org.imaginebot.bot.slack..", "org.imaginebot.app..")
          .because(
              "adapters talk to the core services (bot.BotServices) only; app wires them, not the other way round");

  @ArchTest
  static final ArchRule slackAdapterUsesOnlyTheCore =
      noClasses()
          .that()
          .resideInAPackage("org.imaginebot.bot.slack..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.imaginebot.engine.djl..", "org.imaginebot.bot.discord..", "org.imaginebot.app..")
          .because(
              "adapters talk to the core services (bot.BotServices) only; app wires them, not the other way round");

  @ArchTest
  static final ArchRule noThirdPartyInternals =
      classes()
          .that()
          .resideInAPackage("org.imaginebot..")
          .should(onlyHaveDependenciesWhere(notOnThirdPartyInternals()))
          .because(
              "internal and impl packages change without notice between releases; use the public API");

  /** One logger name everywhere, so a grep for {@code LOG.} finds every log line. */
  @ArchTest
  static final ArchRule loggersAreNamedLog =
      fields()
          .that()
          .haveRawType(Logger.class)
          .should()
          .haveName("LOG")
          .andShould()
          .bePrivate()
          .andShould()
          .beStatic()
          .andShould()
          .beFinal();

  /** Each package says what it is for in a {@code package-info.java}. */
  @ArchTest
  static void everyPackageHasAPackageInfo(JavaClasses classes) {
    Set<String> missing =
        classes.stream()
            .map(JavaClass::getPackageName)
            .filter(
                pkg ->
                    !Files.isRegularFile(
                        Path.of("src/main/java", pkg.replace('.', '/'), "package-info.java")))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(missing).as("packages without a package-info.java").isEmpty();
  }

  private static DescribedPredicate<Dependency> notOnThirdPartyInternals() {
    return DescribedPredicate.describe(
        "the target is not in a third-party ..internal.. or ..impl.. package",
        dependency -> {
          JavaClass target = dependency.getTargetClass().getBaseComponentType();
          String pkg = "." + target.getPackageName() + ".";
          boolean internal =
              !target.getPackageName().startsWith("org.imaginebot")
                  && (pkg.contains(".internal.") || pkg.contains(".impl."));
          return !internal;
        });
  }
}
