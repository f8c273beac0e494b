package io.parity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.lakehouse.CatalogConfig;
import io.parity.lakehouse.LakehouseTables;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

@Timeout(120)
class TrainingSetCommandTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

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

  /** 10 events a day apart (one feature), labels for two of them. */
  private static void seed(Path warehouse) {
    Catalog catalog = CatalogConfig.embedded(warehouse).open();
    try {
      List<Map<String, Object>> silver = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("event_id", "e" + i);
        row.put("event_time", T0.plusSeconds(86_400L * i));
        row.put("spec_fingerprint", "fp-cli");
        row.put("amount", 1.5 * i);
        silver.add(row);
      }
      append(LakehouseTables.ensureSilver(catalog, List.of("amount")), silver);
      append(
          LakehouseTables.ensure(catalog, LakehouseTables.BRONZE_LABELS),
          List.of(
              Map.of("event_id", "e1", "fraud", true, "label_time", T0.plusSeconds(86_400L * 3)),
              Map.of("event_id", "e2", "fraud", true, "label_time", T0.plusSeconds(86_400L * 30))));
    } finally {
      CatalogConfig.close(catalog);
    }
  }

  private static void append(Table table, List<Map<String, Object>> rows) {
    Schema schema = table.schema();
    GenericAppenderFactory appenders = new GenericAppenderFactory(schema, table.spec());
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET).build();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    AppendFiles append = table.newAppend();
    try {
      for (Map<String, Object> row : rows) {
        Record r = LakehouseTables.toRecord(schema, row);
        PartitionKey key = new PartitionKey(table.spec(), schema);
        key.partition(wrapper.wrap(r));
        DataWriter<Record> writer =
            appenders.newDataWriter(
                files.newOutputFile(table.spec(), key), FileFormat.PARQUET, key);
        try (writer) {
          writer.write(r);
        }
        append.appendFile(writer.toDataFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    append.commit();
  }

  @Test
  void createListShowPullRoundTrip(@TempDir Path dir) throws IOException {
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
            "2026-01-20T00:00:00Z",
            "--split",
            "train:2026-01-01..2026-01-07,valid:2026-01-07..2026-01-10");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out())
        .contains("created fraud-v1")
        .contains("9 rows")
        .contains("1 fraud, 0 legit, 8 unlabeled as negative")
        .contains("{train=6, valid=3} (1 rows outside every split dropped)");

    Run second =
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
            "--unlabeled",
            "exclude");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).contains("created fraud-v2").contains("2 rows");

    Run list = run("training-set", "list", "--warehouse", wh);
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("fraud-v1").contains("fraud-v2");

    Run show = run("training-set", "show", "fraud-v1", "--warehouse", wh);
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("\"tag\" : \"fraud-v1\"")
        .contains("\"specFingerprint\" : \"fp-cli\"")
        .contains("\"statsComputedOn\" : \"train\"");
    assertThat(run("training-set", "show", "fraud", "--warehouse", wh).out())
        .contains("fraud-v1")
        .contains("fraud-v2");

    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    for (Path out : List.of(a, b)) {
      for (String format : List.of("parquet", "csv")) {
        Run pulled =
            run(
                "training-set",
                "pull",
                "fraud-v1",
                "--warehouse",
                wh,
                "--out",
                out.toString(),
                "--format",
                format);
        assertThat(pulled.exit()).as(pulled.err()).isZero();
        assertThat(pulled.out()).contains("pulled fraud-v1: 9 rows");
      }
    }
    for (String f : List.of("rows.parquet", "rows.csv", "manifest.json")) {
      assertThat(Files.readAllBytes(b.resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(a.resolve(f)));
    }
    List<String> csv = Files.readAllLines(a.resolve("rows.csv"));
    assertThat(csv.get(0)).isEqualTo("event_id,event_time,split,label,amount");
    assertThat(csv.get(2)).isEqualTo("e1,2026-01-02T00:00:00Z,train,true,1.5");
    assertThat(csv.get(3))
        .as("labelled after as-of")
        .isEqualTo("e2,2026-01-03T00:00:00Z,train,false,3.0");
  }

  @Test
  void userErrorsAreOneClearLine(@TempDir Path dir) {
    Path warehouse = dir.resolve("warehouse");
    seed(warehouse);
    String wh = warehouse.toString();
    Run overlap =
        run(
            "training-set",
            "create",
            "--warehouse",
            wh,
            "--name",
            "x",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-11",
            "--as-of",
            "2026-01-20",
            "--split",
            "train:2026-01-01..2026-01-07,valid:2026-01-06..2026-01-10");
    assertThat(overlap.exit()).isEqualTo(2);
    assertThat(overlap.err()).contains("parity: splits train").contains("overlap");
    Run badTime =
        run(
            "training-set",
            "create",
            "--warehouse",
            wh,
            "--name",
            "x",
            "--from",
            "soon",
            "--to",
            "2026-01-11",
            "--as-of",
            "2026-01-20");
    assertThat(badTime.exit()).isEqualTo(2);
    assertThat(badTime.err()).contains("'soon' is not a time");
    Run empty =
        run(
            "training-set",
            "create",
            "--warehouse",
            wh,
            "--name",
            "x",
            "--from",
            "2027-01-01",
            "--to",
            "2027-01-11",
            "--as-of",
            "2027-01-20");
    assertThat(empty.exit()).isEqualTo(2);
    assertThat(empty.err()).contains("would be empty");
    Run unknown =
        run("training-set", "pull", "nope-v1", "--warehouse", wh, "--out", dir.toString());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown training set 'nope'");
    assertThat(run("training-set", "--help").exit()).isZero();
  }
}
