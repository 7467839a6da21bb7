/**
 * VGG-19 features: layer table and aliases, a forward pass with taps that stops at the deepest
 * needed layer, and reading weights (safetensors, npz, random). Resolving and downloading weights
 * is the driver-side {@code weights} package.
 */
package org.stylesweep.model;
