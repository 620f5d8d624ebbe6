package org.imaginebot.bot.discord;

import java.util.function.Function;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import org.imaginebot.bot.JobListener;
import org.imaginebot.bot.Requester;
import org.imaginebot.cache.CachedImage;
import org.imaginebot.request.GenerationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a job that was asked for before the bot restarted: its interaction reply is gone, so the
 * image (or why it failed) goes to the channel where it was asked for, addressed to the requester
 * (the mention shows who, and pings nobody: allowed mentions are empty).
 */
final class ResumedReply implements JobListener {

  private static final Logger LOG = LoggerFactory.getLogger(ResumedReply.class);

  /** A channel id to the channel on whichever of this node's shards sees it, or null. */
  private final Function<String, GuildMessageChannel> channels;

  private final Requester requester;
  private final GenerationRequest request;
  private final String rerollRef;

  ResumedReply(
      Function<String, GuildMessageChannel> channels,
      Requester requester,
      GenerationRequest request,
      String rerollRef) {
    this.channels = channels;
    this.requester = requester;
    this.request = request;
    this.rerollRef = rerollRef;
  }

  @Override
  public void finished(CachedImage image, boolean cached) {
    post(
        DiscordMessages.finished(
            image,
            cached,
            request,
            rerollRef,
            "<@"
                + requester.userId()
                + ">, here is the image you asked for before the bot restarted.",
            false));
  }

  @Override
  public void failed(String message) {
    post(
        MessageCreateData.fromContent(
            "<@"
                + requester.userId()
                + ">, the image you asked for before the bot restarted could not be made: "
                + message));
  }

  private void post(MessageCreateData message) {
    GuildMessageChannel channel =
        requester.channelId() == null ? null : channels.apply(requester.channelId());
    if (channel == null) {
      LOG.warn(
          "a job resumed after a restart finished, but channel {} is not visible to the bot (or its server is on another node's shard); nothing posted",
          requester.channelId());
      return;
    }
    channel
        .sendMessage(message)
        .queue(
            ok -> {},
            error ->
                LOG.warn(
                    "posting a resumed job's image in channel {} failed ({}); give the bot Send Messages and Attach Files there",
                    requester.channelId(),
                    error.toString()));
  }
}
