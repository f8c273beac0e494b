package io.parity.privacy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** HMAC-SHA256 written out from RFC 2104 with plain SHA-256, as an independent check. */
final class HmacReference {
  private HmacReference() {}

  static String hex(byte[] key, String message) {
    try {
      byte[] k = new byte[64];
      System.arraycopy(key, 0, k, 0, key.length);
      byte[] ipad = new byte[64];
      byte[] opad = new byte[64];
      for (int i = 0; i < 64; i++) {
        ipad[i] = (byte) (k[i] ^ 0x36);
        opad[i] = (byte) (k[i] ^ 0x5c);
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ipad);
      byte[] inner = sha.digest(message.getBytes(StandardCharsets.UTF_8));
      sha.update(opad);
      return HexFormat.of().formatHex(sha.digest(inner));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
