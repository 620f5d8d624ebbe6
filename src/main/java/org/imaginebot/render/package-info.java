/**
 * Image encoding: {@link org.imaginebot.render.Png} turns planar RGB floats into PNG bytes, {@link
 * org.imaginebot.render.TimelapseFrames} keeps evenly spaced previews of a run and {@link
 * org.imaginebot.render.Gif} makes them a looping GIF under a size limit.
 */
package org.imaginebot.render;
