/** Losses of Gatys et al.: content, Gram, style and total variation. Pure NDArray maths, no I/O. */
package org.stylesweep.loss;
