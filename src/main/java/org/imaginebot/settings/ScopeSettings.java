package org.imaginebot.settings;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The settings in force in one scope (a Discord guild or a Slack workspace): the configured
 * defaults with the moderators' changes applied.
 *
 * <p>Immutable. The constructor validates every value and canonicalizes the collections: sets are
 * sorted and unmodifiable, strategy and model ids lowercased, banned entries lowercased with single
 * spaces. An empty {@code strategies}, {@code models} or {@code channels} set means all are
 * allowed. Change one setting from text with {@link #with(Setting, String)}; {@link
 * #value(Setting)} gives the canonical text back.
 */
public record ScopeSettings(
    int maxQueuedPerUser,
    int requestsPerMinute,
    int scopeRequestsPerMinute,
    int maxSteps,
    int maxSize,
    Set<String> strategies,
    Set<String> models,
    List<String> bannedWords,
    Set<String> channels,
    int gpuConcurrency,
    int dailyImagesPerUser) {

  /** Compiled banned lists by content, as a record cannot hold the compiled form itself. */
  private static final LoadingCache<List<String>, BannedWords> COMPILED =
      Caffeine.newBuilder().maximumSize(10_000).build(BannedWords::of);

  public ScopeSettings {
    Setting.MAX_QUEUED_PER_USER.checkRange(maxQueuedPerUser);
    Setting.REQUESTS_PER_MINUTE.checkRange(requestsPerMinute);
    Setting.SCOPE_REQUESTS_PER_MINUTE.checkRange(scopeRequestsPerMinute);
    Setting.MAX_STEPS.checkRange(maxSteps);
    Setting.MAX_SIZE.checkRange(maxSize);
    Setting.GPU_CONCURRENCY.checkRange(gpuConcurrency);
    Setting.DAILY_IMAGES_PER_USER.checkRange(dailyImagesPerUser);
    Objects.requireNonNull(strategies, "strategies");
    Objects.requireNonNull(models, "models");
    Objects.requireNonNull(bannedWords, "bannedWords");
    Objects.requireNonNull(channels, "channels");
    strategies = Setting.STRATEGIES.checkIds(strategies, strategies.toString());
    models = Setting.MODELS.checkIds(models, models.toString());
    bannedWords = Setting.BANNED_WORDS.checkWords(bannedWords, bannedWords.toString());
    channels = Setting.CHANNELS.checkIds(channels, channels.toString());
  }

  /**
   * Settings from text values keyed by setting id (ids ignore case), e.g. the defaults from config.
   *
   * @throws SettingException naming an unknown or missing setting, or the first bad value
   */
  public static ScopeSettings fromValues(Map<String, String> idToText) {
    Map<Setting, String> texts = new EnumMap<>(Setting.class);
    idToText.forEach(
        (id, text) -> {
          Setting setting = Setting.byId(id);
          if (texts.put(setting, text) != null) {
            throw new SettingException(setting, "setting '" + setting.id() + "' is given twice");
          }
        });
    if (texts.size() < Setting.values().length) {
      String missing =
          Arrays.stream(Setting.values())
              .filter(s -> !texts.containsKey(s))
              .map(Setting::id)
              .collect(Collectors.joining(", "));
      throw new SettingException(null, "missing settings: " + missing);
    }
    return parse(texts::get);
  }

  /**
   * These settings with one changed.
   *
   * @param value what the moderator typed, e.g. {@code 300}, {@code adam, search}, {@code *}
   * @throws SettingException for a bad value, e.g. "maxSteps must be a whole number from 1 to
   *     100000, got 'abc'"
   */
  public ScopeSettings with(Setting setting, String value) {
    Objects.requireNonNull(setting, "setting");
    return parse(s -> s == setting ? value : value(s));
  }

  /**
   * The canonical text of one setting: what {@code get} shows and the store keeps. {@code *} stands
   * for all, {@code none} for no banned words; lists are joined with {@code ", "}.
   */
  public String value(Setting setting) {
    return switch (setting) {
      case MAX_QUEUED_PER_USER -> Integer.toString(maxQueuedPerUser);
      case REQUESTS_PER_MINUTE -> Integer.toString(requestsPerMinute);
      case SCOPE_REQUESTS_PER_MINUTE -> Integer.toString(scopeRequestsPerMinute);
      case MAX_STEPS -> Integer.toString(maxSteps);
      case MAX_SIZE -> Integer.toString(maxSize);
      case STRATEGIES -> joinOr(strategies, "*");
      case MODELS -> joinOr(models, "*");
      case BANNED_WORDS -> joinOr(bannedWords, "none");
      case CHANNELS -> joinOr(channels, "*");
      case GPU_CONCURRENCY -> Integer.toString(gpuConcurrency);
      case DAILY_IMAGES_PER_USER -> Integer.toString(dailyImagesPerUser);
    };
  }

  /** Whether users may pick this strategy; ignores case. */
  public boolean allowsStrategy(String id) {
    return allows(strategies, id == null ? null : id.strip().toLowerCase(Locale.ROOT));
  }

  /** Whether users may pick this model; ignores case. */
  public boolean allowsModel(String id) {
    return allows(models, id == null ? null : id.strip().toLowerCase(Locale.ROOT));
  }

  /** Whether the bot answers in this channel. */
  public boolean allowsChannel(String channelId) {
    return allows(channels, channelId);
  }

  /** The first banned word or phrase in {@code text}, if any; see {@link BannedWords}. */
  public Optional<String> bannedWordIn(String text) {
    return bannedWords.isEmpty() ? Optional.empty() : COMPILED.get(bannedWords).firstIn(text);
  }

  private static boolean allows(Set<String> allowed, String id) {
    return allowed.isEmpty() || (id != null && allowed.contains(id));
  }

  private static String joinOr(Collection<String> values, String whenEmpty) {
    return values.isEmpty() ? whenEmpty : String.join(", ", values);
  }

  private static ScopeSettings parse(Function<Setting, String> text) {
    return new ScopeSettings(
        Setting.MAX_QUEUED_PER_USER.parseWhole(text.apply(Setting.MAX_QUEUED_PER_USER)),
        Setting.REQUESTS_PER_MINUTE.parseWhole(text.apply(Setting.REQUESTS_PER_MINUTE)),
        Setting.SCOPE_REQUESTS_PER_MINUTE.parseWhole(text.apply(Setting.SCOPE_REQUESTS_PER_MINUTE)),
        Setting.MAX_STEPS.parseWhole(text.apply(Setting.MAX_STEPS)),
        Setting.MAX_SIZE.parseWhole(text.apply(Setting.MAX_SIZE)),
        Setting.STRATEGIES.parseIds(text.apply(Setting.STRATEGIES)),
        Setting.MODELS.parseIds(text.apply(Setting.MODELS)),
        Setting.BANNED_WORDS.parseWords(text.apply(Setting.BANNED_WORDS)),
        Setting.CHANNELS.parseIds(text.apply(Setting.CHANNELS)),
        Setting.GPU_CONCURRENCY.parseWhole(text.apply(Setting.GPU_CONCURRENCY)),
        Setting.DAILY_IMAGES_PER_USER.parseWhole(text.apply(Setting.DAILY_IMAGES_PER_USER)));
  }
}
