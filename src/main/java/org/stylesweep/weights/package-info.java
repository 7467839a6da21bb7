/**
 * Driver-side weights handling: resolving {@code model.weights: auto} to a cached file, downloading
 * with progress and an integrity check, and the cache itself. Executors only read the resolved file
 * ({@code model.VggWeights}).
 */
package org.stylesweep.weights;
