package org.imaginebot.bench.fake.discord;

import java.util.List;
import java.util.Objects;

/**
 * One option of a slash command as Discord sends it: {@code type} 3 string, 4 integer, 10 number, 5
 * boolean, 1 subcommand (then {@code options} holds its own options and {@code value} is null), 2
 * subcommand group. {@code focused} marks the option being typed in an autocomplete interaction.
 */
public record CommandOption(
    String name, int type, Object value, List<CommandOption> options, boolean focused) {
  public static final int SUB_COMMAND = 1;
  public static final int SUB_COMMAND_GROUP = 2;
  public static final int STRING = 3;
  public static final int INTEGER = 4;
  public static final int BOOLEAN = 5;
  public static final int NUMBER = 10;

  public CommandOption {
    Objects.requireNonNull(name, "name");
    options = options == null ? List.of() : List.copyOf(options);
    if (type == SUB_COMMAND || type == SUB_COMMAND_GROUP) {
      if (value != null) {
        throw new IllegalArgumentException("a subcommand has options, not a value, got " + value);
      }
    } else if (value == null) {
      throw new IllegalArgumentException("option " + name + " of type " + type + " needs a value");
    }
  }

  public static final int ATTACHMENT = 11;

  /** An attachment option; {@code attachmentId} comes from {@link FakeDiscord#upload}. */
  public static CommandOption attachment(String name, String attachmentId) {
    return new CommandOption(name, ATTACHMENT, attachmentId, List.of(), false);
  }

  public static CommandOption string(String name, String value) {
    return new CommandOption(name, STRING, value, List.of(), false);
  }

  public static CommandOption integer(String name, long value) {
    return new CommandOption(name, INTEGER, value, List.of(), false);
  }

  public static CommandOption number(String name, double value) {
    return new CommandOption(name, NUMBER, value, List.of(), false);
  }

  public static CommandOption bool(String name, boolean value) {
    return new CommandOption(name, BOOLEAN, value, List.of(), false);
  }

  public static CommandOption subcommand(String name, CommandOption... options) {
    return new CommandOption(name, SUB_COMMAND, null, List.of(options), false);
  }

  /**
   * The same option marked as the one being typed (for autocomplete); its value is the partial
   * text.
   */
  public CommandOption asFocused() {
    return new CommandOption(name, type, value, options, true);
  }
}
