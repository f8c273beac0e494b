package io.parity.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parity.events.PaymentEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CardTokenizerTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @Test
  void tokensAreStableKeyedAndHideTheCardNumber() {
    CardTokenizer t = CardTokenizer.withKey(KEY);
    String token = t.token("4111111111111111");
    assertThat(token).startsWith("tok_").hasSize(4 + 32).doesNotContain("4111111111111111");
    assertThat(CardTokenizer.withKey(KEY).token("4111111111111111")).isEqualTo(token);
    assertThat(t.token("4111111111111112")).isNotEqualTo(token);
    byte[] other = KEY.clone();
    other[0] ^= 1;
    assertThat(CardTokenizer.withKey(other).token("4111111111111111")).isNotEqualTo(token);
  }

  @Test
  void knownAnswerPinsTheAlgorithm() {
    // HMAC-SHA256(key, "card-00001") truncated to 128 bits: batch and streaming must agree forever.
    assertThat(CardTokenizer.withKey(KEY).token("card-00001"))
        .isEqualTo("tok_" + HmacReference.hex(KEY, "card-00001").substring(0, 32));
  }

  @Test
  void tokenizingAPaymentReplacesOnlyItsCardId() {
    CardTokenizer t = CardTokenizer.withKey(KEY);
    PaymentEvent p =
        new PaymentEvent(
            "e1", 1_000L, "4111111111111111", "m1", 12.5, "EUR", "fuel", 48.1, 11.5, "pos");
    assertThat(t.tokenize(p))
        .isEqualTo(
            new PaymentEvent(
                "e1",
                1_000L,
                t.token("4111111111111111"),
                "m1",
                12.5,
                "EUR",
                "fuel",
                48.1,
                11.5,
                "pos"));
  }

  @Test
  void shortKeysAreRefused() {
    assertThatThrownBy(() -> CardTokenizer.withKey(new byte[8]))
        .hasMessageContaining("at least 16 bytes");
  }
}
