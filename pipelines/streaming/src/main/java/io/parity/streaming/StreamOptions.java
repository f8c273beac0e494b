package io.parity.streaming;

import io.parity.lakehouse.CatalogOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of the speed layer ({@code parity stream}): topics, spec, model, warm start. */
public interface StreamOptions extends CatalogOptions, StreamingOptions {

  @Description("Kafka bootstrap servers")
  @Default.String("127.0.0.1:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Kafka topic of payments (message.timestamp.type=LogAppendTime)")
  @Validation.Required
  String getTopic();

  void setTopic(String value);

  @Description("Field mapping file (YAML) of the payments")
  @Validation.Required
  String getMapping();

  void setMapping(String value);

  @Description("Kafka topic of labels (LogAppendTime), for label-based features")
  String getLabelsTopic();

  void setLabelsTopic(String value);

  @Description("Field mapping file of the labels (with --labelsTopic)")
  String getLabelsMapping();

  void setLabelsMapping(String value);

  @Description("Feature spec file (YAML): must be the spec the model was trained on")
  @Validation.Required
  String getSpec();

  void setSpec(String value);

  @Description("Model directory (models/NAME) holding versions 1/, 2/, ...; the latest serves")
  @Validation.Required
  String getModelDir();

  void setModelDir(String value);

  @Description("Topic the scores go to, keyed by event id")
  @Default.String("scores")
  String getScoresTopic();

  void setScoresTopic(String value);

  @Description("Topic invalid records go to (dead letters with their reason), keyed by position")
  @Default.String("dead-letters")
  String getDeadLettersTopic();

  void setDeadLettersTopic(String value);

  @Description("Topic the computed feature rows go to (for skew-check); empty: none")
  @Default.String("features")
  String getFeaturesTopic();

  void setFeaturesTopic(String value);

  @Description("Scores from this value on are 'review'")
  @Default.Double(0.5)
  double getReviewThreshold();

  void setReviewThreshold(double value);

  @Description("Scores from this value on are 'decline'")
  @Default.Double(0.9)
  double getDeclineThreshold();

  void setDeclineThreshold(double value);

  @Description("Seconds between looks for a new model version")
  @Default.Long(10)
  long getModelPollSeconds();

  void setModelPollSeconds(long value);

  @Description("Most payments per TensorFlow call")
  @Default.Integer(512)
  int getMaxScoringBatch();

  void setMaxScoringBatch(int value);

  @Description(
      "Hydrate the feature state from bronze (events and labels up to the cut-over) before"
          + " consuming live events; false starts cold at the topics' ends")
  @Default.Boolean(true)
  boolean getWarmStart();

  void setWarmStart(boolean value);

  @Description("Allowance (ms) for clock skew between broker and job when a partition is idle")
  @Default.Long(50)
  long getIdleMarginMillis();

  void setIdleMarginMillis(long value);
}
