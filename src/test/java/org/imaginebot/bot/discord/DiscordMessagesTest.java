package org.imaginebot.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import net.dv8tion.jda.api.entities.MessageEmbed;
import org.imaginebot.request.Echo;
import org.junit.jupiter.api.Test;

final class DiscordMessagesTest {

  @Test
  void truncate_toTheEmbedTitleLimit_neverCutsAnEmojiInHalf() {
    String emoji = "\uD83E\uDD84"; // two chars
    String prompt = emoji.repeat(300); // a cut at 255 falls inside the 128th emoji

    String title = Echo.cut(prompt, MessageEmbed.TITLE_MAX_LENGTH);

    assertThat(title).isEqualTo(emoji.repeat(127) + "…");
    assertThat(Echo.cut("abcdef", 4)).isEqualTo("abc…");
  }
}
