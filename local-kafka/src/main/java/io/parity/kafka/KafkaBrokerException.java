package io.parity.kafka;

/** A local Kafka broker could not be started, stopped or inspected; the message says why. */
public class KafkaBrokerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KafkaBrokerException(String message) {
    super(message);
  }

  public KafkaBrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}
