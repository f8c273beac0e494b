package io.parity.batch;

import io.parity.lakehouse.CatalogOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code parity skew-check}: the streaming job's feature log, the spec, bronze. */
public interface SkewCheckOptions extends CatalogOptions {

  @Description("Kafka bootstrap servers")
  @Default.String("127.0.0.1:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic the streaming job wrote its feature rows to")
  @Default.String("features")
  String getFeaturesTopic();

  void setFeaturesTopic(String value);

  @Description("Feature spec file (YAML) the streaming job ran")
  @Validation.Required
  String getSpec();

  void setSpec(String value);

  @Description("Directory for the recomputed rows (kept for inspection)")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Most mismatching values to print")
  @Default.Integer(10)
  int getMaxExamples();

  void setMaxExamples(int value);
}
