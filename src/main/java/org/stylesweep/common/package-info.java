/** Small helpers shared by every stage (manifest choices). */
package org.stylesweep.common;
