/**
 * Sweep manifests: YAML parsing (Jackson), validation with field paths, sweep expansion into {@link
 * org.stylesweep.spec.RunSpec}s with deterministic run ids.
 */
package org.stylesweep.manifest;
