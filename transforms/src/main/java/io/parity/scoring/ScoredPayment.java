package io.parity.scoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.Objects;

/**
 * One score on the scores topic, keyed by event id. A consumer de-duplicates by {@code event_id}:
 * delivery is at least once, and a repeat for the same event and model version carries the same
 * score and decision.
 *
 * @param eventId the payment's id
 * @param score the model's fraud probability
 * @param decision approve, review or decline by the job's thresholds
 * @param model the model's name (its directory)
 * @param modelVersion the model version that scored it
 * @param specFingerprint the feature spec the features (and the model) belong to
 * @param eventTime the payment's event time (epoch ms)
 * @param featuresAsOf the processing time its features were computed at (epoch ms): the later of
 *     its event time and its arrival at the broker
 * @param scoredAt the wall-clock time it was scored (epoch ms)
 * @param readAt the wall-clock time the job read the payment (epoch ms; 0 when unknown)
 * @param featuresAt the wall-clock time its features were done (epoch ms; 0 when unknown)
 */
@JsonPropertyOrder({
  "event_id",
  "score",
  "decision",
  "model",
  "model_version",
  "spec_fingerprint",
  "event_time",
  "features_as_of",
  "scored_at",
  "read_at",
  "features_at"
})
public record ScoredPayment(
    @JsonProperty("event_id") String eventId,
    @JsonProperty("score") double score,
    @JsonProperty("decision") String decision,
    @JsonProperty("model") String model,
    @JsonProperty("model_version") int modelVersion,
    @JsonProperty("spec_fingerprint") String specFingerprint,
    @JsonProperty("event_time") long eventTime,
    @JsonProperty("features_as_of") long featuresAsOf,
    @JsonProperty("scored_at") long scoredAt,
    @JsonProperty("read_at") long readAt,
    @JsonProperty("features_at") long featuresAt)
    implements Serializable {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ScoredPayment {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(decision, "decision");
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write score of " + eventId, e);
    }
  }

  public static ScoredPayment fromJson(String json) {
    try {
      return JSON.readValue(json, ScoredPayment.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a score record: " + e.getOriginalMessage(), e);
    }
  }
}
