/**
 * Optimizers: a port of torch.optim.LBFGS (with strong Wolfe line search) and Adam. Pure functions
 * of an objective, no I/O.
 */
package org.stylesweep.optim;
