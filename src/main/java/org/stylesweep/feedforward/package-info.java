/**
 * Feed-forward networks (Johnson et al. 2016; Ulyanov et al. 2016): the blocks DJL lacks (instance
 * normalisation, reflection padding, nearest upsampling), the transformation network, its training
 * with the perceptual loss through the same VGG-19 and losses as the optimisation runs,
 * checkpoints, and inference. Pure engine code: inputs and checkpoints come and go as bytes and
 * images, the caller does the I/O.
 */
package org.stylesweep.feedforward;
