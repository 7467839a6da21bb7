/**
 * The {@code stylesweep} command line (picocli): run, validate, show, report, fetch-weights, bench.
 */
package org.stylesweep.cli;
