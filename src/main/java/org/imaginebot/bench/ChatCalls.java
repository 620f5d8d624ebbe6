package org.imaginebot.bench;

/**
 * What a fake chat platform recorded that {@link LoadFigures} needs, whatever the platform.
 *
 * @param maxEditsPerWindow the most edits one message got in any {@link LoadFigures#EDIT_WINDOW}
 *     (Discord: PATCHes of a message; Slack: {@code chat.update}s of one {@code ts}), whatever
 *     their answer
 * @param http429 the 429 answers the fake sent
 */
public record ChatCalls(int maxEditsPerWindow, long http429) {}
