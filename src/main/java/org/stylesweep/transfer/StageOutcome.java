package org.stylesweep.transfer;

import java.awt.image.BufferedImage;

/**
 * One stage of a multi-scale run (see {@link MultiScale}).
 *
 * @param spelling the stage as the schedule spells it, e.g. {@code 256:200}
 * @param width the stage result's width in pixels
 * @param height the stage result's height in pixels
 * @param evaluations loss evaluations this stage did
 * @param finalLoss the loss at the stage's result (its best evaluation), or null when it failed
 * @param seconds wall time of the stage (targets, start image, optimization)
 * @param image the stage's result, or null when it failed
 */
public record StageOutcome(
    String spelling,
    int width,
    int height,
    int evaluations,
    Double finalLoss,
    double seconds,
    BufferedImage image) {}
