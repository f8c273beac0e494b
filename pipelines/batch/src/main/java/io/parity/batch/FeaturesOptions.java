package io.parity.batch;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the batch features job: the ingestion sources plus a spec and optional labels. */
public interface FeaturesOptions extends IngestOptions {

  @Description("Feature spec file (YAML)")
  @Validation.Required
  String getSpec();

  void setSpec(String value);

  @Description("File pattern of label files (with --labelsMapping)")
  String getLabels();

  void setLabels(String value);

  @Description("Kafka topic of labels (with --labelsMapping)")
  String getLabelsTopic();

  void setLabelsTopic(String value);

  @Description("Field mapping file of the labels")
  String getLabelsMapping();

  void setLabelsMapping(String value);

  @Description("Output format: csv or parquet")
  @Default.String("csv")
  String getFormat();

  void setFormat(String value);

  @Description("Number of output files (0: let the runner decide)")
  @Default.Integer(1)
  Integer getShards();

  void setShards(Integer value);
}
