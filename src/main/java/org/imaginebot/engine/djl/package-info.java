/**
 * The engine on DJL's PyTorch engine. {@link org.imaginebot.engine.djl.DjlEngine} loads TorchScript
 * models (BigGAN, StyleGAN, CLIP, an optional discriminator) and runs the strategies: {@code adam}
 * (Big Sleep: Adam on the generator's latents against CLIP, with injectable {@link
 * org.imaginebot.engine.djl.CutoutSource cutouts}), {@code search} (top-k ImageNet classes, or
 * truncated StyleGAN latents), {@code auto} (search, then adam) and {@code evolve} (a genetic
 * search). The only package that imports DJL, and only through its public API.
 */
package org.imaginebot.engine.djl;
