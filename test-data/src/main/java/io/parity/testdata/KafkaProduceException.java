package io.parity.testdata;

/** A record could not be sent to Kafka; the cause is the producer's error. */
public final class KafkaProduceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public KafkaProduceException(String message, Throwable cause) {
    super(message, cause);
  }
}
