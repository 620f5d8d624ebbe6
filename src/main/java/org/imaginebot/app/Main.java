package org.imaginebot.app;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code imagine-bot} command line: {@code generate}, {@code serve}, {@code models}, {@code
 * bench}.
 */
@Command(
    name = "imagine-bot",
    mixinStandardHelpOptions = true,
    version = "imagine-bot 0.1.0",
    description = "Makes images from text with CLIP-guided GAN latent optimization.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err, System.console() != null));
  }

  /** Runs the command line with explicit environment and streams; returns the exit code. */
  static int run(
      String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
    CommandLine cli =
        new CommandLine(new Main())
            .addSubcommand("generate", new GenerateCommand(env, out, terminal))
            .addSubcommand("serve", new ServeCommand(env, out))
            .addSubcommand("submit", new SubmitCommand(env, out, terminal))
            .addSubcommand("models", new ModelsCommand(env, out, terminal))
            .addSubcommand("bench", new BenchCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler(
        (e, a) -> {
          err.println("error: " + e.getMessage() + " (see --help)");
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          err.println("error: " + ExitCodes.message(e));
          return ExitCodes.of(e);
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command, e.g. imagine-bot generate \"a lighthouse\"");
  }
}
