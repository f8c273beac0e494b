package io.parity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.lakehouse.CatalogConfig;
import io.parity.lakehouse.LakehouseTables;
import io.parity.scoring.ModelMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(300)
class TrainCommandTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Parity.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** 1,200 events over 10 days, two features with a fraud signal, labels a day later. */
  private static void seed(Path warehouse) {
    Catalog catalog = CatalogConfig.embedded(warehouse).open();
    try {
      Random random = new Random(5);
      List<Map<String, Object>> silver = new ArrayList<>();
      List<Map<String, Object>> labels = new ArrayList<>();
      for (int i = 0; i < 1200; i++) {
        double z0 = random.nextGaussian();
        double z1 = random.nextGaussian();
        Instant t = T0.plusSeconds(i * 720L);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("event_id", "e" + i);
        row.put("event_time", t);
        row.put("spec_fingerprint", "fp-cli");
        row.put("amount", 300 + 200 * z0);
        row.put("count_1h", 2 + z1);
        silver.add(row);
        boolean fraud = random.nextDouble() < 1 / (1 + Math.exp(-(-3 + 3 * z0 + 2 * z1)));
        if (fraud) {
          labels.add(
              Map.of("event_id", "e" + i, "fraud", true, "label_time", t.plusSeconds(86_400)));
        }
      }
      append(LakehouseTables.ensureSilver(catalog, List.of("amount", "count_1h")), silver);
      append(LakehouseTables.ensure(catalog, LakehouseTables.BRONZE_LABELS), labels);
    } finally {
      CatalogConfig.close(catalog);
    }
  }

  @Test
  void trainsATrainingSetVersionIntoTheNextModelVersion() {
    Path warehouse = dir.resolve("warehouse");
    seed(warehouse);
    String wh = warehouse.toString();
    Run created =
        run(
            "training-set",
            "create",
            "--warehouse",
            wh,
            "--name",
            "fraud",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-11",
            "--as-of",
            "2026-02-01",
            "--split",
            "train:2026-01-01..2026-01-08,valid:2026-01-08..2026-01-11");
    assertThat(created.exit()).as(created.err()).isZero();

    Path models = dir.resolve("models/fraud");
    Run trained =
        run(
            "train",
            "--warehouse",
            wh,
            "--training-set",
            "fraud-v1",
            "--out",
            models.toString(),
            "--model",
            "logistic",
            "--epochs",
            "6",
            "--patience",
            "2",
            "--learning-rate",
            "0.05",
            "--batch-size",
            "64",
            "--seed",
            "3");
    assertThat(trained.exit()).as(trained.err()).isZero();
    assertThat(trained.out())
        .contains("training logistic on fraud-v1: 2 features")
        .contains("epoch   1/6  train loss")
        .contains("model version: " + models.toAbsolutePath().resolve("1"))
        .contains("ROC-AUC")
        .contains("precision@100");
    ModelMetadata m = ModelMetadata.read(models.resolve("1"));
    assertThat(m.trainingSet()).isEqualTo("fraud-v1");
    assertThat(m.specFingerprint()).isEqualTo("fp-cli");
    assertThat(m.training().seed()).isEqualTo(3);

    Run second =
        run(
            "train",
            "--warehouse",
            wh,
            "--training-set",
            "fraud-v1",
            "--out",
            models.toString(),
            "--hidden",
            "4",
            "--epochs",
            "2");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).contains("model version: " + models.toAbsolutePath().resolve("2"));
    assertThat(ModelMetadata.read(models.resolve("2")).modelType()).isEqualTo("mlp");
  }

  @Test
  void badArgumentsAreOneLineErrors() {
    String wh = dir.resolve("warehouse").toString();
    String out = dir.resolve("models/fraud").toString();
    Object[][] cases = {
      {new String[] {"--epochs", "x"}, "parity: --epochs must be a positive integer, got 'x'"},
      {new String[] {"--patience", "0"}, "parity: --patience must be a positive integer"},
      {new String[] {"--model", "tree"}, "parity: unknown model type 'tree': use logistic or mlp"},
      {new String[] {"--hidden", "32,x"}, "parity: --hidden must be comma-separated positive"},
      {new String[] {"--learning-rate", "-1"}, "parity: --learning-rate must be a positive number"},
      {new String[] {}, "parity: unknown training set 'fraud'"},
    };
    for (Object[] c : cases) {
      List<String> args =
          new ArrayList<>(List.of("train", "--warehouse", wh, "--training-set", "fraud-v1"));
      args.addAll(List.of("--out", out));
      args.addAll(List.of((String[]) c[0]));
      Run r = run(args.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).startsWith((String) c[1]);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    }
  }

  private static void append(Table table, List<Map<String, Object>> rows) {
    Schema schema = table.schema();
    GenericAppenderFactory appenders = new GenericAppenderFactory(schema, table.spec());
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET).build();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    Map<PartitionKey, List<Record>> byPartition = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      Record r = LakehouseTables.toRecord(schema, row);
      PartitionKey key = new PartitionKey(table.spec(), schema);
      key.partition(wrapper.wrap(r));
      byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    AppendFiles append = table.newAppend();
    try {
      for (Map.Entry<PartitionKey, List<Record>> e : byPartition.entrySet()) {
        DataWriter<Record> writer =
            appenders.newDataWriter(
                files.newOutputFile(table.spec(), e.getKey()), FileFormat.PARQUET, e.getKey());
        try (writer) {
          e.getValue().forEach(writer::write);
        }
        append.appendFile(writer.toDataFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    append.commit();
  }
}
