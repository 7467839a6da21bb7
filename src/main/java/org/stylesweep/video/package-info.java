/**
 * Video: decoding and encoding clips with FFmpeg (bytedeco JavaCV), optical flow and the
 * consistency masks of Ruder et al. (2016) with OpenCV, warping, and the temporal terms of a frame
 * chain. Engine code: it uses {@code spec}, {@code image}, {@code common} and {@code transfer}, and
 * never the manifest, Spark, the report or the command line.
 */
package org.stylesweep.video;
