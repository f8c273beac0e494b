package io.parity.events;

import java.util.List;
import java.util.Map;

/** Names the type of a decoded value the way a user thinks of it (in dead-letter reasons). */
final class TypeNames {
  private TypeNames() {}

  static String of(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "text";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Number) {
      return "number";
    }
    if (value instanceof Map) {
      return "object";
    }
    if (value instanceof List) {
      return "array";
    }
    return value.getClass().getSimpleName();
  }
}
