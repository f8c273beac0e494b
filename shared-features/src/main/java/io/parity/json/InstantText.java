package io.parity.json;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * A Jackson module that writes and reads {@link Instant}s as ISO-8601 text ({@code
 * 2026-01-05T10:00:00Z}), the form of every Parity manifest and metadata file (no JSR-310 module
 * needed).
 */
public final class InstantText {
  private InstantText() {}

  public static SimpleModule module() {
    SimpleModule time = new SimpleModule("parity-instants");
    time.addSerializer(Instant.class, ToStringSerializer.instance);
    time.addDeserializer(
        Instant.class,
        new FromStringDeserializer<Instant>(Instant.class) {
          @Override
          protected Instant _deserialize(String value, DeserializationContext ctxt) {
            return Instant.parse(value);
          }
        });
    return time;
  }
}
