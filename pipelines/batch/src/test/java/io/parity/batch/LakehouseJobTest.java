package io.parity.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.events.PaymentEvent;
import io.parity.features.Arrival;
import io.parity.features.FeatureReplay;
import io.parity.features.FeatureRow;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.lakehouse.CatalogConfig;
import io.parity.lakehouse.LakehouseTables;
import io.parity.privacy.CardTokenizer;
import io.parity.testdata.SampleData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch layer end to end on the committed sample: bronze holds every payment and label with
 * tokens instead of card ids, silver equals the sequential replay bit for bit, gold adds up, and a
 * re-run of the same files adds nothing.
 */
@Timeout(600)
class LakehouseJobTest {
  private static final byte[] KEY =
      "parity-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  private static Path resource(Path dir, String name) throws IOException {
    Path target = dir.resolve(name.replace('/', '_'));
    try (InputStream in = LakehouseJobTest.class.getResourceAsStream("/" + name)) {
      Files.copy(in, target);
    }
    return target;
  }

  private static LakehouseOptions options(Path dir, Path warehouse, String runner)
      throws IOException {
    Path key = Files.write(dir.resolve("token.key"), KEY);
    List<String> args = new ArrayList<>(List.of("--runner=" + runner));
    if (runner.equals("FlinkRunner")) {
      args.addAll(List.of("--flinkMaster=[local]", "--parallelism=2", "--fasterCopy=true"));
    }
    args.addAll(
        List.of(
            "--input=" + existing(dir, "samples/payments-sample.jsonl"),
            "--mapping=" + existing(dir, "mappings/payments-jsonl.yaml"),
            "--labels=" + existing(dir, "samples/labels-sample.jsonl"),
            "--labelsMapping=" + existing(dir, "mappings/labels-jsonl.yaml"),
            "--spec=" + existing(dir, "specs/fraud.yaml"),
            "--warehouse=" + warehouse,
            "--tokenKeyFile=" + key,
            "--output=" + dir.resolve("out-" + runner)));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(LakehouseOptions.class);
  }

  private static Path existing(Path dir, String name) throws IOException {
    Path p = dir.resolve(name.replace('/', '_'));
    return Files.exists(p) ? p : resource(dir, name);
  }

  static List<Record> rows(Catalog catalog, org.apache.iceberg.catalog.TableIdentifier id)
      throws IOException {
    Table t = catalog.loadTable(id);
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
      it.forEach(out::add);
    }
    return out;
  }

  @Test
  void directAndFlinkFillBronzeSilverAndGoldAndAReRunAddsNothing(@TempDir Path dir)
      throws IOException {
    FeatureSpec spec = SpecFile.loadResource("specs/fraud.yaml");
    List<PaymentEvent> events = SampleData.events();
    CardTokenizer tokens = CardTokenizer.withKey(KEY);
    Map<String, FeatureRow> expected = new HashMap<>();
    for (FeatureRow r :
        FeatureReplay.replay(
            spec,
            events.stream().map(Arrival::unknownIngestTime).toList(),
            SampleData.labels().stream().map(Arrival::unknownIngestTime).toList())) {
      expected.put(r.eventId(), r);
    }

    for (String runner : List.of("DirectRunner", "FlinkRunner")) {
      Path warehouse = dir.resolve("warehouse-" + runner);
      LakehouseJob.Summary first = LakehouseJob.run(options(dir, warehouse, runner));
      assertThat(first.payments()).isEqualTo(events.size());
      assertThat(first.labels()).isEqualTo(SampleData.labels().size());
      assertThat(first.deadLetters()).isZero();

      Catalog catalog = CatalogConfig.embedded(warehouse).open();
      List<Record> bronze = rows(catalog, LakehouseTables.BRONZE_EVENTS);
      assertThat(bronze).hasSize(events.size());
      Set<String> cardIds = events.stream().map(PaymentEvent::cardId).collect(Collectors.toSet());
      assertThat(bronze)
          .allSatisfy(
              r -> {
                assertThat((String) r.getField("card_token")).startsWith("tok_");
                assertThat((String) r.getField("payload")).doesNotContain("\"card-");
              });
      Map<String, String> tokenByEvent = new HashMap<>();
      events.forEach(e -> tokenByEvent.put(e.eventId(), tokens.token(e.cardId())));
      assertThat(bronze)
          .allSatisfy(
              r ->
                  assertThat(r.getField("card_token"))
                      .isEqualTo(tokenByEvent.get((String) r.getField("event_id"))));
      assertThat(cardIds).isNotEmpty();
      assertThat(rows(catalog, LakehouseTables.BRONZE_LABELS)).hasSize(SampleData.labels().size());

      List<Record> silver = rows(catalog, LakehouseTables.SILVER_FEATURES);
      assertThat(silver).hasSize(events.size());
      List<String> names = spec.featureNames();
      for (Record r : silver) {
        FeatureRow want = expected.get((String) r.getField("event_id"));
        for (int i = 0; i < names.size(); i++) {
          assertThat(Double.doubleToRawLongBits((Double) r.getField(names.get(i))))
              .as(runner + " " + want.eventId() + " " + names.get(i))
              .isEqualTo(Double.doubleToRawLongBits(want.values()[i]));
        }
        assertThat(r.getField("spec_fingerprint")).isEqualTo(first.fingerprint());
      }

      long goldPayments =
          rows(catalog, LakehouseTables.GOLD_CARD_DAILY).stream()
              .mapToLong(r -> (Long) r.getField("payments"))
              .sum();
      assertThat(goldPayments).isEqualTo(events.size());
      long goldMerchantPayments =
          rows(catalog, LakehouseTables.GOLD_MERCHANT_DAILY).stream()
              .mapToLong(r -> (Long) r.getField("payments"))
              .sum();
      assertThat(goldMerchantPayments).isEqualTo(events.size());

      long bronzeSnapshot =
          catalog.loadTable(LakehouseTables.BRONZE_EVENTS).currentSnapshot().snapshotId();
      LakehouseJob.Summary again = LakehouseJob.run(options(dir, warehouse, runner));
      assertThat(again.payments()).isEqualTo(events.size());
      Catalog after = CatalogConfig.embedded(warehouse).open();
      assertThat(rows(after, LakehouseTables.BRONZE_EVENTS)).hasSize(events.size());
      assertThat(after.loadTable(LakehouseTables.BRONZE_EVENTS).currentSnapshot().snapshotId())
          .isEqualTo(bronzeSnapshot);
      assertThat(rows(after, LakehouseTables.SILVER_FEATURES)).hasSize(events.size());
    }
  }
}
