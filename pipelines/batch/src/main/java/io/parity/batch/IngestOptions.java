package io.parity.batch;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of the ingestion job: where records come from, how to read them, where results go. */
public interface IngestOptions extends PipelineOptions {

  @Description("Kafka bootstrap servers, e.g. 127.0.0.1:9092 (with --topic)")
  @Default.String("127.0.0.1:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Kafka topic to read from its first to its last stored offset (or use --input)")
  String getTopic();

  void setTopic(String value);

  @Description("File pattern of JSON-lines or CSV files to read (or use --topic)")
  String getInput();

  void setInput(String value);

  @Description("Field mapping file (YAML) describing the records")
  @Validation.Required
  String getMapping();

  void setMapping(String value);

  @Description("Output directory for dead letters and counts")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Longest time a Kafka partition's read may take, in seconds; reaching it fails")
  @Default.Long(1800)
  Long getMaxReadSeconds();

  void setMaxReadSeconds(Long value);
}
