/**
 * Successive halving on the driver: the runs of each screening round (a sweep's settings at a
 * smaller size and fewer evaluations), their ranking by an objective over the quality measures, and
 * the planned compute against the full sweep. Pure functions of the plan and of the runs' measures;
 * the Spark job ({@code spark.HalvingJob}) runs the rounds.
 */
package org.stylesweep.halving;
