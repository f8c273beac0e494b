package io.parity.lakehouse;

import io.parity.privacy.CardTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Pipeline options of every job that reads or writes the lakehouse: the catalog and card key. */
public interface CatalogOptions extends PipelineOptions {

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

  /** The catalog these options describe. */
  static CatalogConfig catalog(CatalogOptions o) {
    if (o.getWarehouse() == null) {
      throw new IllegalArgumentException("--warehouse is required (a directory for hadoop)");
    }
    return CatalogConfig.parse(
        o.getCatalogType(),
        o.getWarehouse(),
        o.getCatalogProperty() == null ? List.of() : o.getCatalogProperty());
  }

  /** Reads the tokenization key; a missing or short key fails fast. */
  static CardTokenizer tokenizer(String keyFile) {
    if (keyFile == null) {
      throw new IllegalArgumentException("--tokenKeyFile is required: card ids are tokenized");
    }
    try {
      return CardTokenizer.withKey(Files.readAllBytes(Path.of(keyFile)));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the token key file " + keyFile, e);
    }
  }
}
