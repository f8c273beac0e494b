package io.parity.cli;

import io.parity.lakehouse.CatalogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Catalog options shared by the lakehouse commands (batch, sql, tables). */
final class LakehouseOptionsMixin {

  @Option(
      names = "--catalog",
      defaultValue = "hadoop",
      description =
          "hadoop (embedded, a local warehouse directory), jdbc or rest (default: ${DEFAULT-VALUE})")
  String catalogType;

  @Option(
      names = "--warehouse",
      description = "warehouse location (default: work/warehouse under the project)")
  String warehouse;

  @Option(
      names = "--catalog-property",
      description =
          "catalog property passed through unchanged, key=value (repeatable), e.g. uri=...")
  List<String> properties = new ArrayList<>();

  String warehouse() {
    return warehouse != null
        ? warehouse
        : Parity.workDir().resolve("warehouse").toAbsolutePath().toString();
  }

  /** Adds these catalog options to a lakehouse job's Beam arguments (CatalogOptions). */
  void addTo(List<String> args) {
    args.add("--catalogType=" + catalogType);
    args.add("--warehouse=" + warehouse());
    for (String p : properties) {
      args.add("--catalogProperty=" + p);
    }
  }

  CatalogConfig config() {
    return CatalogConfig.parse(catalogType, warehouse(), properties);
  }

  /**
   * The local development tokenization key: created once with 32 random bytes, readable only by its
   * owner. Production runs pass their own key file.
   */
  static Path defaultTokenKey() {
    Path key = Parity.workDir().resolve("secrets/token.key").toAbsolutePath();
    if (Files.exists(key)) {
      return key;
    }
    try {
      Files.createDirectories(key.getParent());
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      Files.write(key, bytes);
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      System.err.println("parity: created a local tokenization key in " + key);
      return key;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the tokenization key " + key, e);
    }
  }
}
