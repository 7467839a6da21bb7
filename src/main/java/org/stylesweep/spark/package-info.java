/**
 * The Spark job: dataset of runs, executor-side model cache, device assignment, durable per-run
 * records, the metrics schema.
 */
package org.stylesweep.spark;
