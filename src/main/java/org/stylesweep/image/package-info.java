/**
 * Images: reading and writing through Hadoop FileSystem (file, s3a, hdfs), resizing, conversion to
 * and from NDArrays, labelled grids.
 */
package org.stylesweep.image;
