package org.imaginebot.incident;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * One unexpected failure, under a short id ({@code E-7F3K2Q}) that the user is shown and the
 * operator log holds next to the stack trace.
 *
 * <p>Only failures nobody could foresee become incidents; known, user-caused or operator-fixable
 * errors (a bad request, a refusal, a model that is not installed) keep their own clear texts.
 *
 * @param id {@code E-} and six characters from an alphabet without look-alikes (no 0/O, 1/I/L)
 */
public record Incident(String id) {

  private static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  private static final int LENGTH = 6;
  private static final Pattern ID = Pattern.compile("E-[" + ALPHABET + "]{" + LENGTH + "}");

  public Incident {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("incident id must look like E-7F3K2Q, got " + id);
    }
  }

  /**
   * Logs {@code error} at ERROR with a new incident id and returns the incident.
   *
   * @param what what failed, for the operator, e.g. {@code job 0a1b... failed}
   */
  public static Incident report(Logger log, String what, Throwable error) {
    Incident incident = new Incident(newId());
    log.error("incident {}: {}", incident.id(), what, error);
    return incident;
  }

  /**
   * The sentence a user sees: what happened, what to do, and the id to quote.
   *
   * @param whileDoing what the bot was doing for the user, e.g. {@code making your image}
   */
  public String userMessage(String whileDoing) {
    return "Something went wrong while "
        + whileDoing
        + " (incident "
        + id
        + "). Try again; if it keeps happening, "
        + "tell a moderator and quote the id.";
  }

  private static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder("E-");
    for (int i = 0; i < LENGTH; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
