package org.imaginebot.bot.slack;

/**
 * The {@code action_id}s of our Block Kit buttons. The button's {@code value} carries a reference
 * (a remembered request, or a job id), never the prompt.
 */
final class ActionIds {

  static final String REROLL = "imagine_reroll";
  static final String VARIATIONS = "imagine_vary";
  static final String TIMELAPSE = "imagine_timelapse";
  static final String INFO = "imagine_info";
  static final String CANCEL = "imagine_cancel";
  static final String DELETE = "imagine_delete";

  /** "+N steps", "Edit prompt" (opens {@link RepromptModal}) and "Try 4 seeds". */
  static final String MORE = "imagine_more";

  static final String REPROMPT = "imagine_reprompt";
  static final String SHEET = "imagine_sheet";

  /** "Refine N" and "Vary N" on a contact sheet: the prefix, then N from 1. */
  static final String REFINE = "imagine_refine_";

  static final String VARY_CANDIDATE = "imagine_varyc_";

  /** On the ephemeral offer a moderator gets after a delete. */
  static final String PURGE = "imagine_purge";

  private ActionIds() {}
}
