package org.stylesweep.spec;

/**
 * The shape of a run parameter's value, which decides how it is parsed, spelled in records and
 * stored in the metrics table ({@code spark.Schemas} maps each kind to one Spark SQL type).
 */
public enum ValueKind {
  /** A 32-bit integer (SQL {@code INT}). */
  INT,
  /** A 64-bit integer (SQL {@code BIGINT}). */
  LONG,
  /** A finite double (SQL {@code DOUBLE}). */
  DOUBLE,
  /** One constant of an enum, spelled by its lower-case name (SQL {@code STRING}). */
  CHOICE,
  /** A list of texts, e.g. layer names (SQL {@code ARRAY<STRING>}). */
  STRING_LIST,
  /** A list of doubles, e.g. per-layer weights (SQL {@code ARRAY<DOUBLE>}). */
  DOUBLE_LIST
}
