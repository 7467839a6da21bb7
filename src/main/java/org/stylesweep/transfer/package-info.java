/**
 * One run end to end: targets, initial image, the objective (a sum of weighted loss terms), the
 * monitor beside it (loss history, progress, best point) and the optimization loop.
 */
package org.stylesweep.transfer;
