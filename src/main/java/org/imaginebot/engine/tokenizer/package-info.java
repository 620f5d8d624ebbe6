/**
 * CLIP text tokenization in pure Java: {@link org.imaginebot.engine.tokenizer.ClipTokenizer#load()}
 * returns the shared tokenizer, whose {@code tokenize} turns a prompt into the 77 ids OpenAI CLIP's
 * text encoder expects and whose {@code tokenCount} tells whether a prompt will be truncated.
 */
package org.imaginebot.engine.tokenizer;
