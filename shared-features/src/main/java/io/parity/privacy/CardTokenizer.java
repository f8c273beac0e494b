package io.parity.privacy;

import io.parity.events.PaymentEvent;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces card ids by a keyed hash (HMAC-SHA256, first 128 bits, hex) before anything reaches the
 * lakehouse, identically in batch and streaming, so joins on the token still work while raw card
 * numbers never land on disk. Without the key a token cannot be reversed or recomputed.
 */
public final class CardTokenizer implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String ALGORITHM = "HmacSHA256";

  /** Tokens start with this, so a token is never mistaken for a card id. */
  public static final String PREFIX = "tok_";

  private final byte[] key;
  private transient Mac mac;

  private CardTokenizer(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException(
          "the tokenization key must have at least 16 bytes (128 bits), got " + key.length);
    }
    this.key = key.clone();
  }

  /** A tokenizer with the given secret key (at least 16 bytes). */
  public static CardTokenizer withKey(byte[] key) {
    return new CardTokenizer(Objects.requireNonNull(key, "key"));
  }

  /** The token of a card id; the same id and key always give the same token. */
  public String token(String cardId) {
    Objects.requireNonNull(cardId, "cardId");
    byte[] digest = mac().doFinal(cardId.getBytes(StandardCharsets.UTF_8));
    return PREFIX + HexFormat.of().formatHex(digest, 0, 16);
  }

  /** The payment with its card id replaced by its token (what bronze and the features see). */
  public PaymentEvent tokenize(PaymentEvent e) {
    return new PaymentEvent(
        e.eventId(),
        e.eventTimeMillis(),
        token(e.cardId()),
        e.merchantId(),
        e.amount(),
        e.currency(),
        e.merchantCategory(),
        e.latitude(),
        e.longitude(),
        e.channel());
  }

  /** A short, non-secret identifier of the key, to record which key produced a table's tokens. */
  public String keyId() {
    return HexFormat.of()
        .formatHex(mac().doFinal("parity-key-id".getBytes(StandardCharsets.UTF_8)), 0, 4);
  }

  private Mac mac() {
    if (mac == null) {
      try {
        Mac m = Mac.getInstance(ALGORITHM);
        m.init(new SecretKeySpec(key, ALGORITHM));
        mac = m;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
      }
    }
    return mac;
  }
}
