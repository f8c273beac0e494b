package io.parity.batch;

import io.parity.lakehouse.CatalogOptions;
import org.apache.beam.sdk.options.Description;

/** Options of {@code parity batch}: the features job's sources and spec, plus the lakehouse. */
public interface LakehouseOptions extends FeaturesOptions, CatalogOptions {

  @Description("Identifier of this run, recorded in every snapshot it commits")
  String getRunId();

  void setRunId(String value);
}
