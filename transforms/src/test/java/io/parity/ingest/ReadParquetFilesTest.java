package io.parity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.events.Field;
import io.parity.events.FieldMapping;
import io.parity.events.PaymentEvent;
import io.parity.events.TimeFormat;
import java.nio.file.Path;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ReadParquetFilesTest {

  @Test
  void parquetRowsBecomePaymentsWithRowPositionsAndBadRowsBecomeDeadLetters(@TempDir Path dir)
      throws Exception {
    Schema ts = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    Schema schema =
        SchemaBuilder.record("payment")
            .fields()
            .requiredString("txn")
            .name("ts")
            .type(ts)
            .noDefault()
            .requiredString("card")
            .requiredLong("terminal")
            .optionalDouble("amount")
            .endRecord();
    Path file = dir.resolve("payments.parquet");
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
            .withSchema(schema)
            .build()) {
      w.write(row(schema, "tx-1", 1_767_608_130_123_456L, "c1", 17L, 12.5));
      w.write(row(schema, "tx-2", 1_767_608_131_000_000L, "c2", 18L, null));
    }
    FieldMapping mapping =
        FieldMapping.builder(FieldMapping.Kind.PAYMENTS, FieldMapping.Format.PARQUET)
            .column(Field.EVENT_ID, "txn")
            .column(Field.EVENT_TIME, "ts")
            .column(Field.CARD_ID, "card")
            .column(Field.MERCHANT_ID, "terminal")
            .canonicalColumns(Field.AMOUNT)
            .time(TimeFormat.Kind.EPOCH_MILLIS, null, "UTC")
            .build();

    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollectionTuple out =
        p.apply("Read", ReadParquetFiles.of(file.toString()))
            .apply("Parse", ParseEvents.with(mapping));
    PAssert.that(out.get(ParseEvents.PAYMENTS))
        .containsInAnyOrder(
            new Ingested<>(
                new PaymentEvent(
                    "tx-1", 1_767_608_130_123L, "c1", "17", 12.5, "EUR", null, null, null, null),
                file.toString(),
                -1,
                1,
                io.parity.features.Arrival.UNKNOWN));
    PAssert.that(out.get(ParseEvents.DEAD_LETTERS))
        .satisfies(
            dead -> {
              DeadLetter d = dead.iterator().next();
              assertThat(dead).hasSize(1);
              assertThat(d.offset()).isEqualTo(2);
              assertThat(d.reason()).isEqualTo("amount (column 'amount'): missing");
              assertThat(d.payload())
                  .isEqualTo(
                      "{\"txn\":\"tx-2\",\"ts\":1767608131000,\"card\":\"c2\",\"terminal\":18,"
                          + "\"amount\":null}");
              return null;
            });
    p.run().waitUntilFinish();
  }

  private static GenericRecord row(
      Schema schema, String txn, long micros, String card, long terminal, Double amount) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("txn", txn);
    r.put("ts", micros);
    r.put("card", card);
    r.put("terminal", terminal);
    r.put("amount", amount);
    return r;
  }
}
