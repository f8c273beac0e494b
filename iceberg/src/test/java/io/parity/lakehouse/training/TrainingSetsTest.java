package io.parity.lakehouse.training;

import static io.parity.lakehouse.training.TrainingData.FP;
import static io.parity.lakehouse.training.TrainingData.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.parity.lakehouse.CatalogConfig;
import io.parity.lakehouse.LakehouseInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.catalog.Catalog;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class TrainingSetsTest {
  private static final List<String> FEATURES = List.of("amount", "count_1h");
  private static final List<Split> SPLITS =
      List.of(new Split("train", day(0), day(6)), new Split("valid", day(6), day(9)));

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

  private static String id(int i) {
    return String.format("e%02d", i);
  }

  private static Double amount(int i) {
    return i == 5 ? null : 10.0 + i * 1.7 + (i % 3) * 0.33;
  }

  /** 20 events, every 12 hours from day 0 (days 0 .. 9.5), and a few labels. */
  private void seed() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Map<String, Double> f = new HashMap<>();
      f.put("amount", amount(i));
      f.put("count_1h", (double) (i % 4));
      rows.add(TrainingData.silver(id(i), day(i * 0.5), FP, f));
    }
    TrainingData.appendSilver(catalog, FEATURES, rows);
    TrainingData.appendLabels(
        catalog,
        List.of(
            TrainingData.label(id(1), true, day(5)),
            TrainingData.label(id(2), true, day(2)),
            TrainingData.label(id(2), false, day(4)),
            TrainingData.label(id(3), true, day(20)),
            TrainingData.label(id(4), false, day(3)),
            TrainingData.label(id(4), true, day(3))));
  }

  private TrainingSetVersion create(String name, Instant asOf, UnlabeledPolicy p, List<Split> s) {
    return TrainingSets.create(catalog, name, day(0), day(10), asOf, null, p, s);
  }

  /** Event id to label, read back through a CSV pull of the version. */
  private Map<String, String> labels(String tag) throws IOException {
    Path out = dir.resolve("labels-" + tag);
    TrainingSets.pull(catalog, tag, out, Format.CSV);
    Map<String, String> labels = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(out.resolve("rows.csv"));
    assertThat(lines.get(0)).isEqualTo("event_id,event_time,split,label,amount,count_1h");
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      labels.put(cells[0], cells[3]);
    }
    return labels;
  }

  @Test
  void labelsAreTheOnesKnownAtAsOf() throws IOException {
    seed();
    TrainingSetVersion early = create("pit", day(3.5), UnlabeledPolicy.NEGATIVE, List.of());
    TrainingSetVersion atRelabel = create("pit", day(4), UnlabeledPolicy.NEGATIVE, List.of());
    TrainingSetVersion late = create("pit", day(15), UnlabeledPolicy.NEGATIVE, List.of());

    Map<String, String> v1 = labels(early.tag());
    assertThat(v1).hasSize(20);
    assertThat(v1.get("e01")).as("fraud label at day 5 is unknown at 3.5").isEqualTo("false");
    assertThat(v1.get("e02")).as("fraud at day 2, relabelled at day 4").isEqualTo("true");
    assertThat(v1.get("e04")).as("same label time: fraud wins").isEqualTo("true");
    assertThat(labels(atRelabel.tag()).get("e02"))
        .as("label_time == asOf is known")
        .isEqualTo("false");
    Map<String, String> v3 = labels(late.tag());
    assertThat(v3.get("e01")).isEqualTo("true");
    assertThat(v3.get("e02")).isEqualTo("false");
    assertThat(v3.get("e03")).as("a label after asOf is never used").isEqualTo("false");
    assertThat(late.labels()).isEqualTo(new TrainingSetVersion.LabelCounts(2, 1, 17, 0));
    assertThat(late.version()).isEqualTo(3);
    assertThat(late.statsComputedOn()).isEqualTo("all");
  }

  @Test
  void unlabeledEventsAreNegativeOrExcluded() throws IOException {
    seed();
    TrainingSetVersion neg = create("neg", day(15), UnlabeledPolicy.NEGATIVE, List.of());
    TrainingSetVersion exc = create("exc", day(15), UnlabeledPolicy.EXCLUDE, List.of());
    assertThat(neg.rows()).isEqualTo(20);
    assertThat(exc.rows()).isEqualTo(3);
    assertThat(exc.labels()).isEqualTo(new TrainingSetVersion.LabelCounts(2, 1, 0, 17));
    assertThat(labels(exc.tag())).containsOnlyKeys("e01", "e02", "e04");
  }

  @Test
  void splitsAssignRowsByTimeAndStatisticsUseTrainOnly() throws IOException {
    seed();
    TrainingSetVersion v = create("split", day(15), UnlabeledPolicy.NEGATIVE, SPLITS);
    assertThat(v.rowsPerSplit()).containsExactly(Map.entry("train", 12L), Map.entry("valid", 6L));
    assertThat(v.droppedOutsideSplits()).isEqualTo(2);
    assertThat(v.rows()).isEqualTo(18);
    assertThat(v.statsComputedOn()).isEqualTo("train");
    assertThat(v.statsRows()).isEqualTo(12);

    Path out = dir.resolve("split");
    TrainingSets.pull(catalog, v.tag(), out, Format.CSV);
    List<String> lines = Files.readAllLines(out.resolve("rows.csv"));
    assertThat(lines).hasSize(19);
    assertThat(lines.get(1)).startsWith("e00,2026-01-01T00:00:00Z,train,false,10.0,0.0");
    assertThat(lines.get(13)).startsWith("e12,2026-01-07T00:00:00Z,valid,");
    assertThat(lines.get(6))
        .as("a null feature is an empty field")
        .startsWith("e05,")
        .endsWith(",,1.0");

    // Independent computation over the train rows (events 0..11).
    List<Double> amounts = new ArrayList<>();
    List<Double> counts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      if (amount(i) != null) {
        amounts.add(amount(i));
      }
      counts.add((double) (i % 4));
    }
    assertStats(v.statistics().get("amount"), amounts);
    assertThat(v.statistics().get("amount").nulls()).isEqualTo(1);
    assertThat(v.statistics().get("amount").vocabulary()).isNull();
    assertStats(v.statistics().get("count_1h"), counts);
    assertThat(v.statistics().get("count_1h").vocabulary()).containsExactly(0L, 1L, 2L, 3L);
  }

  private static void assertStats(FeatureStats s, List<Double> xs) {
    int n = xs.size();
    double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double var = xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).average().orElseThrow();
    assertThat(s.count()).isEqualTo(n);
    assertThat(s.mean()).isCloseTo(mean, within(1e-12));
    assertThat(s.stddev()).isCloseTo(Math.sqrt(var), within(1e-12));
    double min = xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = xs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    assertThat(s.min()).isEqualTo(min);
    assertThat(s.max()).isEqualTo(max);
    // Edge k: the smallest value v with at least k*n/10 values <= v (k = 0: the minimum).
    List<Double> edges = new ArrayList<>();
    edges.add(min);
    for (int k = 1; k <= 10; k++) {
      final int kk = k;
      edges.add(
          xs.stream()
              .filter(v -> xs.stream().filter(x -> x <= v).count() * 10 >= (long) kk * n)
              .mapToDouble(Double::doubleValue)
              .min()
              .orElseThrow());
    }
    assertThat(s.quantileEdges()).containsExactlyElementsOf(edges);
  }

  @Test
  void versionsAreTaggedAndPullsAreByteIdentical() throws IOException {
    seed();
    TrainingSetVersion v1 = create("fraud", day(15), UnlabeledPolicy.NEGATIVE, SPLITS);
    assertThat(v1.tag()).isEqualTo("fraud-v1");
    Path a = dir.resolve("a");
    TrainingSets.Pulled parquetA = TrainingSets.pull(catalog, "fraud-v1", a, Format.PARQUET);
    TrainingSets.pull(catalog, "fraud-v1", a, Format.CSV);

    // New silver rows (with a new feature), new labels, and a second version.
    List<Map<String, Object>> more = new ArrayList<>();
    for (int i = 20; i < 26; i++) {
      more.add(
          TrainingData.silver(
              id(i), day(i * 0.25 - 4.9), FP, Map.of("amount", 1.0 * i, "velocity", 0.5 * i)));
    }
    TrainingData.appendSilver(catalog, List.of("amount", "count_1h", "velocity"), more);
    TrainingData.appendLabels(
        catalog,
        List.of(TrainingData.label(id(6), true, day(7)), TrainingData.label(id(21), true, day(8))));
    TrainingSetVersion v2 = create("fraud", day(15), UnlabeledPolicy.NEGATIVE, SPLITS);
    assertThat(v2.tag()).isEqualTo("fraud-v2");
    assertThat(v2.rows()).isEqualTo(v1.rows() + 6);
    assertThat(v2.features()).containsExactly("amount", "count_1h", "velocity");
    assertThat(v2.labels().fraud()).isEqualTo(v1.labels().fraud() + 2);
    assertThat(v2.sourceSnapshots()).isNotEqualTo(v1.sourceSnapshots());

    Path b = dir.resolve("b");
    TrainingSets.Pulled parquetB = TrainingSets.pull(catalog, "fraud-v1", b, Format.PARQUET);
    TrainingSets.pull(catalog, "fraud-v1", b, Format.CSV);
    for (String f : List.of("rows.parquet", "rows.csv", "manifest.json")) {
      assertThat(Files.readAllBytes(b.resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(a.resolve(f)));
    }
    assertThat(parquetB.rows()).isEqualTo(parquetA.rows()).isEqualTo(v1.rows());
    assertThat(Files.readString(a.resolve("manifest.json")))
        .startsWith("{\n  \"manifestVersion\" : 1,\n  \"name\" : \"fraud\",")
        .contains("\"tag\" : \"fraud-v1\"");

    // The Parquet file reads back: sorted rows, timestamps in UTC micros.
    List<String> ids = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new LocalInputFile(a.resolve("rows.parquet")))
            .withConf(new Configuration(false))
            .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        ids.add(r.get("event_id").toString());
        if (ids.size() == 1) {
          assertThat(r.get("event_time")).isEqualTo(day(0).toEpochMilli() * 1000);
          assertThat(r.get("split").toString()).isEqualTo("train");
        }
      }
    }
    assertThat(ids).hasSize(18).isSorted();

    assertThat(TrainingSets.list(catalog))
        .extracting(TrainingSetVersion::tag)
        .containsExactly("fraud-v1", "fraud-v2");
    assertThat(TrainingSets.show(catalog, "fraud")).containsExactly(v1, v2);
    assertThat(TrainingSets.show(catalog, "fraud-v2")).containsExactly(v2);
    var table = catalog.loadTable(TrainingSets.tableId("fraud"));
    assertThat(LakehouseInfo.tags(table))
        .containsEntry("fraud-v1", v1.snapshotId())
        .containsEntry("fraud-v2", v2.snapshotId());
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(v2.snapshotId());
  }

  @Test
  void parquetFooterIsCanonicalWhateverOrderTheWriterListedEncodingsIn() throws IOException {
    Path file = dir.resolve("rows.parquet");
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {"a", day(0), "train", true, 1.0, null});
    rows.add(new Object[] {"b", day(1), null, false, null, 2.0});
    RowFiles.writeParquet(file, FEATURES, rows);
    byte[] canonical = Files.readAllBytes(file);

    // Reverse every unordered list of the footer, as another JVM's parquet-mr may write them.
    byte[] bytes = canonical.clone();
    int n = bytes.length;
    int length = ByteBuffer.wrap(bytes, n - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    FileMetaData md =
        Util.readFileMetaData(new ByteArrayInputStream(bytes, n - 8 - length, length));
    boolean permuted = false;
    for (RowGroup g : md.getRow_groups()) {
      for (ColumnChunk c : g.getColumns()) {
        List<Encoding> reversed = new ArrayList<>(c.getMeta_data().getEncodings());
        Collections.reverse(reversed);
        permuted |= !reversed.equals(c.getMeta_data().getEncodings());
        c.getMeta_data().setEncodings(reversed);
      }
    }
    assertThat(permuted).as("some column has several encodings").isTrue();
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(md, footer);
    ByteArrayOutputStream shuffled = new ByteArrayOutputStream();
    shuffled.write(bytes, 0, n - 8 - length);
    footer.writeTo(shuffled);
    shuffled.write(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
    shuffled.write(new byte[] {'P', 'A', 'R', '1'});
    Files.write(file, shuffled.toByteArray());
    assertThat(Files.readAllBytes(file)).isNotEqualTo(canonical);

    RowFiles.canonicalizeFooter(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(canonical);
  }

  @Test
  void clearErrors() {
    seed();
    assertThatThrownBy(
            () ->
                create(
                    "bad",
                    day(15),
                    UnlabeledPolicy.NEGATIVE,
                    List.of(
                        new Split("train", day(0), day(6)), new Split("valid", day(5), day(9)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlap");
    assertThatThrownBy(
            () ->
                create(
                    "bad",
                    day(15),
                    UnlabeledPolicy.NEGATIVE,
                    List.of(new Split("train", day(0), day(11)))))
        .hasMessageContaining("not inside");
    assertThatThrownBy(() -> TrainingSets.parseTime("yesterday"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a time");
    assertThatThrownBy(() -> TrainingSets.pull(catalog, "nope-v1", dir, Format.CSV))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown training set 'nope'");
    create("ok", day(15), UnlabeledPolicy.NEGATIVE, List.of());
    assertThatThrownBy(() -> TrainingSets.show(catalog, "ok-v7"))
        .hasMessageContaining("unknown training-set version ok-v7");
    assertThatThrownBy(
            () ->
                TrainingSets.create(
                    catalog,
                    "empty",
                    day(30),
                    day(31),
                    day(40),
                    null,
                    UnlabeledPolicy.NEGATIVE,
                    null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("would be empty");
    assertThatThrownBy(
            () ->
                TrainingSets.create(
                    catalog, "x", day(0), day(10), day(40), "fp-9", UnlabeledPolicy.NEGATIVE, null))
        .hasMessageContaining("no rows of spec fingerprint fp-9");
    assertThatThrownBy(() -> create("Bad-Name", day(15), UnlabeledPolicy.NEGATIVE, List.of()))
        .hasMessageContaining("training-set name");
    assertThat(Split.parseList("train:2026-01-01..2026-01-07,valid:2026-01-07T00:00Z..2026-01-10"))
        .containsExactly(SPLITS.get(0), SPLITS.get(1));
  }

  @Test
  void fingerprintDefaultsToTheMostRecentAndFailsWhenAmbiguous() {
    TrainingData.appendSilver(
        catalog,
        FEATURES,
        List.of(TrainingData.silver("a", day(1), "fp-old", Map.of("amount", 1.0))));
    TrainingData.appendSilver(
        catalog,
        FEATURES,
        List.of(TrainingData.silver("b", day(1), "fp-new", Map.of("amount", 2.0))));
    TrainingSetVersion v = create("recent", day(15), UnlabeledPolicy.NEGATIVE, List.of());
    assertThat(v.specFingerprint()).isEqualTo("fp-new");
    assertThat(v.features()).containsExactly("amount");
    assertThat(v.sourceSnapshots().get("bronze.labels")).isNull();

    TrainingData.appendSilver(
        catalog,
        FEATURES,
        List.of(
            TrainingData.silver("c", day(1), "fp-x", Map.of("amount", 3.0)),
            TrainingData.silver("d", day(1), "fp-y", Map.of("amount", 4.0))));
    assertThatThrownBy(() -> create("amb", day(15), UnlabeledPolicy.NEGATIVE, List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("several spec fingerprints")
        .hasMessageContaining("--spec-fingerprint");
  }
}
