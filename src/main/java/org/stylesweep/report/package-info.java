/**
 * Reads the metrics Parquet with Spark SQL and renders grids, loss-curve charts and the HTML report
 * from templates.
 */
package org.stylesweep.report;
