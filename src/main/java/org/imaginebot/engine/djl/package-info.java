/**
 * The engine on DJL's PyTorch engine. {@link org.imaginebot.engine.djl.DjlEngine} loads TorchScript
 * models and runs the {@code adam} strategy (Big Sleep: Adam on BigGAN latents against CLIP, with
 * injectable {@link org.imaginebot.engine.djl.CutoutSource cutouts}) and the {@code search}
 * strategy (top-k ImageNet class search). The only package that knows NDArrays.
 */
package org.imaginebot.engine.djl;
