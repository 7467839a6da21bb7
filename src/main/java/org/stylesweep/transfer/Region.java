package org.stylesweep.transfer;

import java.awt.image.BufferedImage;

/**
 * One region of spatial control (Gatys et al. 2017, Sec. 4): where on the content it applies and
 * which style it takes there.
 *
 * @param mask greyscale mask of the content's size (white = inside, grey = partial)
 * @param style the region's style image
 * @param styleMask where on the style image the statistics come from (same size as the style), or
 *     null for all of it
 * @param weight λ_r, the region's weight in the style loss
 */
public record Region(
    BufferedImage mask, BufferedImage style, BufferedImage styleMask, double weight) {}
