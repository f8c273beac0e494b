package io.parity.events;

/**
 * A value that cannot become a field of an event; its message says what was wrong with it.
 *
 * <p>It is the parser's internal signal: {@link EventParser} turns it into a dead-letter reason
 * that also names the field and the source column, and never lets it escape.
 */
public final class InvalidFieldException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidFieldException(String message) {
    super(message, null, false, false);
  }
}
