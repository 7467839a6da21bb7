/** VGG-19 features: layer table and aliases, a forward pass with taps that stops at the deepest needed layer, weights (safetensors, npz, random, auto download). */
package org.stylesweep.model;
