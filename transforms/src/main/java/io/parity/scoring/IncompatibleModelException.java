package io.parity.scoring;

/**
 * A model that cannot score the running feature spec's rows: trained on another spec fingerprint,
 * or using a feature the spec does not produce, or there is no complete model version at all. The
 * message names both sides and what to do.
 */
public class IncompatibleModelException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public IncompatibleModelException(String message) {
    super(message);
  }
}
