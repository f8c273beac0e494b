package io.parity.batch;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code parity batch}: the features job's sources and spec, plus the lakehouse. */
public interface LakehouseOptions extends FeaturesOptions {

  @Description("Catalog type: hadoop (embedded, a local warehouse directory), jdbc or rest")
  @Default.String("hadoop")
  String getCatalogType();

  void setCatalogType(String value);

  @Description("Warehouse location (a directory for the embedded catalog)")
  String getWarehouse();

  void setWarehouse(String value);

  @Description("Catalog properties passed through unchanged, as key=value (uri=..., io-impl=...)")
  List<String> getCatalogProperty();

  void setCatalogProperty(List<String> value);

  @Description("File holding the card tokenization key (at least 16 bytes)")
  String getTokenKeyFile();

  void setTokenKeyFile(String value);

  @Description("Identifier of this run, recorded in every snapshot it commits")
  String getRunId();

  void setRunId(String value);
}
