package org.stylesweep.common;

/**
 * A failure whose message is already the paragraph a user reads: what failed, the path, what to do.
 * The command line prints the message alone (no stack trace) and exits 2 when {@link #badInput()}
 * (nothing was run: a locked or clashing output folder), else 1.
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean badInput;

  public UserError(String message, boolean badInput) {
    super(message);
    this.badInput = badInput;
  }

  public UserError(String message, boolean badInput, Throwable cause) {
    super(message, cause);
    this.badInput = badInput;
  }

  /** True when nothing was run and the input (arguments, output folder) must change: exit 2. */
  public boolean badInput() {
    return badInput;
  }
}
