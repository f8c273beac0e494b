package io.parity.cli;

import io.parity.lakehouse.AsOf;
import io.parity.lakehouse.LakehouseSql;
import io.parity.lakehouse.QueryResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parity sql}: read-only SQL over the lakehouse tables, with time travel. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one read-only SQL query (DuckDB) over the Iceberg tables bronze.events,"
          + " bronze.labels, silver.features, gold.card_daily, gold.merchant_daily.",
      "Write statements are refused."
    })
final class SqlCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "the query, e.g. \"SELECT count(*) FROM bronze.events\"")
  String sql;

  @Option(
      names = "--as-of",
      description = "a snapshot id, a tag, or an ISO-8601 timestamp (default: latest)")
  String asOf;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE})")
  String format;

  @Mixin LakehouseOptionsMixin lakehouse;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("table") && !format.equals("csv") && !format.equals("json")) {
      throw new IllegalArgumentException("--format must be table, csv or json, got " + format);
    }
    try (LakehouseSql engine =
        LakehouseSql.open(lakehouse.config(), asOf == null ? AsOf.latest() : AsOf.parse(asOf))) {
      QueryResult result = engine.query(sql);
      System.out.print(
          switch (format) {
            case "csv" -> result.toCsv();
            case "json" -> result.toJson();
            default -> result.toAlignedTable();
          });
    }
    return 0;
  }
}
