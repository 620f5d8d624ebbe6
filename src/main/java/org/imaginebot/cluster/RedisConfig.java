package org.imaginebot.cluster;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The {@code redis} section: where the shared queue lives when {@code queue.backend} is {@code
 * redis}, for {@code serve --role bot|worker} and {@code submit}.
 *
 * @param url {@code redis://host:port/db} (a password as {@code redis://:secret@host}, never
 *     logged), or {@code none}
 * @param keyPrefix starts every key and channel, so several bots can share one Redis
 * @param nodeId this node's name in the cluster, {@code auto} for the host name; a restarted bot
 *     node with the same name delivers the jobs it admitted before
 */
public record RedisConfig(String url, String keyPrefix, String nodeId) {

  /** The {@code url} of a bot that does not use Redis. */
  public static final String NONE = "none";

  public RedisConfig {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "redis.url must be a redis:// URL such as redis://127.0.0.1:6379/0, or none");
    }
    if (!NONE.equals(url)) {
      String scheme = url.toLowerCase(Locale.ROOT);
      if (!(scheme.startsWith("redis://") || scheme.startsWith("rediss://"))) {
        throw new IllegalArgumentException(
            "redis.url must be a redis:// URL such as redis://127.0.0.1:6379/0, or none, got "
                + redacted(url));
      }
    }
    if (keyPrefix == null || keyPrefix.isBlank() || keyPrefix.length() > 64) {
      throw new IllegalArgumentException(
          "redis.keyPrefix must be 1 to 64 characters such as imagine:, got '" + keyPrefix + "'");
    }
    if (nodeId == null || !nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException(
          "redis.nodeId must be auto or 1 to 64 letters, digits, '.', '_' or '-', got '"
              + nodeId
              + "'");
    }
  }

  /** True when a Redis URL is set. */
  public boolean configured() {
    return !NONE.equals(url);
  }

  /** The node's name: {@code nodeId}, or the host name when it is {@code auto}. */
  public String node() {
    if (!"auto".equals(nodeId)) {
      return nodeId;
    }
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "-");
    } catch (UnknownHostException e) {
      return "node";
    }
  }

  /** The URL with any password replaced by {@code ***}, for logs and messages. */
  public String redactedUrl() {
    return redacted(url);
  }

  static String redacted(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getUserInfo() == null) {
        return url;
      }
      int at = url.indexOf('@');
      int scheme = url.indexOf("://");
      return url.substring(0, scheme + 3) + "***" + url.substring(at);
    } catch (IllegalArgumentException e) {
      return "(an unreadable URL)";
    }
  }
}
