package io.parity.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parity.lakehouse.CatalogConfig;
import io.parity.lakehouse.LakehouseTables;
import io.parity.lakehouse.training.Format;
import io.parity.lakehouse.training.Split;
import io.parity.lakehouse.training.TrainingSetVersion;
import io.parity.lakehouse.training.TrainingSets;
import io.parity.lakehouse.training.UnlabeledPolicy;
import io.parity.scoring.ModelMetadata;
import io.parity.scoring.ModelStore;
import io.parity.scoring.Scorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Silver rows and labels in an embedded Iceberg catalog -> a training set -> a model version. */
@Timeout(300)
class TrainModelCatalogTest {
  private static final String FP = "fp-catalog";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<String> FEATURES = List.of("amount", "count_1h", "merchant_risk");

  @TempDir Path dir;
  private Catalog catalog;

  @BeforeEach
  void setUp() {
    catalog = CatalogConfig.embedded(dir.resolve("warehouse")).open();
  }

  @AfterEach
  void tearDown() {
    CatalogConfig.close(catalog);
  }

  private static Instant day(double d) {
    return T0.plusSeconds((long) (d * 86_400));
  }

  /** 2,400 events over 10 days with a fraud signal; fraud labels known a day later. */
  private void seed() {
    Random random = new Random(17);
    List<Map<String, Object>> silver = new ArrayList<>();
    List<Map<String, Object>> labels = new ArrayList<>();
    for (int i = 0; i < 2400; i++) {
      double z0 = random.nextGaussian();
      double z1 = random.nextGaussian();
      double z2 = random.nextGaussian();
      Instant t = day(i * 10.0 / 2400);
      Map<String, Object> row = new LinkedHashMap<>();
      String id = String.format("e%05d", i);
      row.put("event_id", id);
      row.put("event_time", t);
      row.put("spec_fingerprint", FP);
      row.put("amount", 400 + 250 * z0);
      row.put("count_1h", i % 50 == 0 ? null : 3 + 2 * z1);
      row.put("merchant_risk", 0.3 + 0.1 * z2);
      silver.add(row);
      boolean fraud = random.nextDouble() < 1 / (1 + Math.exp(-(-3.5 + 3 * z0 + 2 * z1 - 2 * z2)));
      if (fraud || i % 3 == 0) {
        labels.add(Map.of("event_id", id, "fraud", fraud, "label_time", t.plusSeconds(86_400)));
      }
    }
    append(LakehouseTables.ensureSilver(catalog, FEATURES), silver);
    append(LakehouseTables.ensure(catalog, LakehouseTables.BRONZE_LABELS), labels);
  }

  @Test
  void trainsATaggedTrainingSetIntoAModelVersion() throws IOException {
    seed();
    TrainingSetVersion set =
        TrainingSets.create(
            catalog,
            "fraud",
            day(0),
            day(10),
            day(30),
            null,
            UnlabeledPolicy.NEGATIVE,
            List.of(new Split("train", day(0), day(7)), new Split("valid", day(7), day(10))));
    assertThat(set.tag()).isEqualTo("fraud-v1");

    // rows() is what pull writes: same order, same values.
    List<Object[]> rows = TrainingSets.rows(catalog, set);
    assertThat(rows).hasSize(2400);
    Path pulled = dir.resolve("pulled");
    TrainingSets.pull(catalog, "fraud-v1", pulled, Format.CSV);
    List<String> csv = Files.readAllLines(pulled.resolve("rows.csv"));
    assertThat(csv).hasSize(2401);
    assertThat(csv.get(1)).startsWith(rows.get(0)[0] + "," + rows.get(0)[1] + ",train,");

    List<String> progress = new ArrayList<>();
    Path models = dir.resolve("models/fraud");
    TrainResult result =
        TrainModel.run(
            catalog,
            "fraud-v1",
            models,
            TrainOptions.defaults()
                .withModel(ModelType.LOGISTIC)
                .withLearningRate(0.05)
                .withBatchSize(64)
                .withMaxEpochs(20)
                .withPatience(3)
                .withProgress(progress::add));

    assertThat(result.versionDir()).isEqualTo(ModelStore.at(models).versionDir(1));
    ModelMetadata m = ModelMetadata.read(result.versionDir());
    assertThat(m.name()).isEqualTo("fraud");
    assertThat(m.version()).isEqualTo(1);
    assertThat(m.specFingerprint()).isEqualTo(FP).isEqualTo(set.specFingerprint());
    assertThat(m.trainingSet()).isEqualTo("fraud-v1");
    assertThat(m.features()).isEqualTo(set.features());
    assertThat(m.normalization().mean().get(0)).isEqualTo(set.statistics().get("amount").mean());
    assertThat(m.normalization().stddev().get(2))
        .isEqualTo(set.statistics().get("merchant_risk").stddev());
    assertThat(m.validation().rows()).isEqualTo(set.rowsPerSplit().get("valid"));
    assertThat(m.training().rows()).isEqualTo(set.rowsPerSplit().get("train"));
    assertThat(m.validation().rocAuc()).isGreaterThan(0.85);
    assertThat(progress).anyMatch(l -> l.startsWith("training logistic on fraud-v1: 3 features"));
    try (Scorer scorer = Scorer.load(result.versionDir())) {
      assertThat(scorer.metadata()).isEqualTo(m);
    }
  }

  @Test
  void aSetWithoutTrainAndValidSplitsIsRefusedWithTheCommandToFixIt() {
    seed();
    TrainingSets.create(
        catalog, "fraud", day(0), day(10), day(30), null, UnlabeledPolicy.NEGATIVE, List.of());
    assertThatThrownBy(
            () ->
                TrainModel.run(
                    catalog, "fraud-v1", dir.resolve("models/fraud"), TrainOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("training set fraud-v1 has splits []")
        .hasMessageContaining(
            "parity training-set create ... --split train:FROM..TO,valid:FROM..TO");
    assertThatThrownBy(
            () -> TrainModel.run(catalog, "fraud-v7", dir.resolve("m"), TrainOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown training-set version fraud-v7");
  }

  private static void append(Table table, List<Map<String, Object>> rows) {
    Schema schema = table.schema();
    PartitionSpec spec = table.spec();
    GenericAppenderFactory appenders = new GenericAppenderFactory(schema, spec);
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET).build();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    Map<PartitionKey, List<Record>> byPartition = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      Record r = LakehouseTables.toRecord(schema, row);
      PartitionKey key = new PartitionKey(spec, schema);
      key.partition(wrapper.wrap(r));
      byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    AppendFiles append = table.newAppend();
    try {
      for (Map.Entry<PartitionKey, List<Record>> e : byPartition.entrySet()) {
        DataWriter<Record> writer =
            appenders.newDataWriter(
                files.newOutputFile(spec, e.getKey()), FileFormat.PARQUET, e.getKey());
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
