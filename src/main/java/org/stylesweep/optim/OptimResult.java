package org.stylesweep.optim;

/**
 * The outcome of {@link Optimizer#minimize}.
 *
 * @param stopReason why the optimizer stopped
 * @param evaluations how many times the objective was evaluated (the tutorial's step counter)
 * @param finalLoss the last loss the optimizer accepted: the loss at the returned point, except
 *     after a final L-BFGS step that torch takes without re-evaluating (line search {@code none}
 *     with {@code maxIterations < maxEvaluations}), where it is the loss before that step; the
 *     offending value when the stop reason is {@link StopReason#NON_FINITE_LOSS}
 */
public record OptimResult(StopReason stopReason, int evaluations, double finalLoss) {}
