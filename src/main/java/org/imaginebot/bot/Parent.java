package org.imaginebot.bot;

import java.util.Objects;

/**
 * The earlier image a request was made from by a button on its reply (Re-roll, Variations, +N
 * steps, Edit prompt, Try 4 seeds, Refine, Vary): the new reply links back to it and its PNG's
 * provenance names the parent's job.
 *
 * @param relation what the new image is of the parent
 * @param jobId the job that made the parent image; null when none is known (the parent was a cache
 *     hit, or its buttons predate this): the provenance then names no parent
 * @param link where the platform shows the parent message; null when not known (yet): the reply
 *     then has no link line
 */
public record Parent(Relation relation, String jobId, String link) {

  /** What a new image is of its parent, in the words a reply shows. */
  public enum Relation {
    REROLL("Re-roll"),
    VARIATION("Variation"),
    CONTINUATION("Continuation"),
    REPROMPT("Re-prompt"),
    SHEET("Contact sheet"),
    REFINEMENT("Refinement");

    private final String words;

    Relation(String words) {
      this.words = words;
    }

    /** "Re-roll", "Variation": the line then says "... of this image". */
    public String words() {
      return words;
    }
  }

  public Parent {
    Objects.requireNonNull(relation, "relation");
  }

  /** This parent, shown at {@code newLink}. */
  public Parent withLink(String newLink) {
    return new Parent(relation, jobId, newLink);
  }
}
