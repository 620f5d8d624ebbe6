package org.imaginebot.engine;

/** Thrown by {@link Engine#generate} when the run was cancelled; carries the last step done. */
public final class GenerationCancelledException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final int completedSteps;

  public GenerationCancelledException(int completedSteps) {
    super("generation cancelled after " + completedSteps + " steps");
    this.completedSteps = completedSteps;
  }

  public int completedSteps() {
    return completedSteps;
  }
}
