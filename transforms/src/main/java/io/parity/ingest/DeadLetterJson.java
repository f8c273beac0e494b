package io.parity.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** The JSON form of a {@link DeadLetter}, as written to dead-letter files and the DLQ topic. */
public final class DeadLetterJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetterJson() {}

  public static String toJson(DeadLetter d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("source", d.source());
    if (d.partition() >= 0) {
      n.put("partition", d.partition());
      n.put("offset", d.offset());
    } else {
      n.put("line", d.offset());
    }
    n.put("stage", d.stage());
    n.put("reason", d.reason());
    n.put("payload", d.payload());
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write dead letter as JSON", e);
    }
  }

  public static DeadLetter fromJson(String json) {
    try {
      var n = JSON.readTree(json);
      boolean kafka = n.has("partition");
      return new DeadLetter(
          n.get("source").asText(),
          kafka ? n.get("partition").asInt() : -1,
          kafka ? n.get("offset").asLong() : n.get("line").asLong(),
          n.get("payload").asText(),
          n.get("stage").asText(),
          n.get("reason").asText());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("not a dead letter: " + json, e);
    }
  }
}
