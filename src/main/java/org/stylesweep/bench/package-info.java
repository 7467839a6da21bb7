/**
 * The {@code bench} command: ms per loss evaluation of a full run against the raw VGG pass (the
 * floor) and against the PyTorch tutorial's code on the same weights and images, measured side by
 * side and interleaved; peak and steady RSS of runs in fresh JVMs. See BENCHMARKS.md.
 */
package org.stylesweep.bench;
