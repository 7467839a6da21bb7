/**
 * The vocabulary every stage shares: the one run-parameter table ({@link
 * org.stylesweep.spec.Params}), run and model specs, the task, init, clamp, device and loss enums,
 * and the typed weights source. It sits at the bottom of the layering: it imports nothing of the
 * project but {@code common}.
 */
package org.stylesweep.spec;
