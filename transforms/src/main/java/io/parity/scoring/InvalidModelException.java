package io.parity.scoring;

/**
 * A model version directory that cannot serve: no or unreadable {@code parity-model.json}, a
 * missing or broken SavedModel, a signature that does not match the metadata, or a smoke inference
 * that does not reproduce the scores the trainer recorded. The message names the directory.
 */
public class InvalidModelException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
