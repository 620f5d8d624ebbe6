/** Image encoding: {@link org.imaginebot.render.Png} turns planar RGB floats into PNG bytes. */
package org.imaginebot.render;
