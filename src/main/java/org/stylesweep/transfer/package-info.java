/** One run end to end: targets, initial image, optimization loop, progress listener and loss history. */
package org.stylesweep.transfer;
