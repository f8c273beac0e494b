package io.parity.batch;

import io.parity.events.FieldMapping;
import io.parity.features.FeatureSpec;
import io.parity.features.SpecFile;
import io.parity.features.SpecFingerprint;
import io.parity.features.pipeline.ComputeFeatures;
import io.parity.features.pipeline.FeatureRows;
import io.parity.features.pipeline.FeaturedPayment;
import io.parity.ingest.ParseEvents;
import io.parity.metrics.JobCounters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code parity features}: one row per payment with its event id, the spec fingerprint and one
 * column per feature, computed by the shared {@link ComputeFeatures} transform. CSV doubles are
 * written with {@link Double#toString}, which reads back to the same bits.
 */
public final class FeaturesJob {
  private FeaturesJob() {}

  /** What a run did. */
  public record Summary(
      long recordsIn,
      long payments,
      long labels,
      long deadLetters,
      String fingerprint,
      Duration elapsed) {
    public double eventsPerSecond() {
      return payments / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }
  }

  public static void main(String[] args) {
    PipelineOptionsFactory.register(FeaturesOptions.class);
    System.out.println(
        run(PipelineOptionsFactory.fromArgs(args).withValidation().as(FeaturesOptions.class)));
  }

  public static Summary run(FeaturesOptions options) {
    FeatureSpec spec = SpecFile.load(Path.of(options.getSpec()));
    String fingerprint = SpecFingerprint.of(spec);
    FieldMapping mapping = FieldMapping.load(Path.of(options.getMapping()));
    String format = options.getFormat().toLowerCase(Locale.ROOT);
    if (!format.equals("csv") && !format.equals("parquet")) {
      throw new IllegalArgumentException("--format must be csv or parquet, got " + format);
    }
    Sources.Planned paymentsSource = Sources.payments(options, mapping);
    boolean withLabels = options.getLabels() != null || options.getLabelsTopic() != null;
    if (withLabels != (options.getLabelsMapping() != null)) {
      throw new IllegalArgumentException("--labels/--labelsTopic and --labelsMapping go together");
    }

    Pipeline pipeline = Pipeline.create(options);
    PCollectionTuple parsed =
        pipeline
            .apply("ReadPayments", paymentsSource.read())
            .apply("ParsePayments", ParseEvents.with(mapping));
    long expected = paymentsSource.expectedRecords();
    PCollectionTuple input =
        PCollectionTuple.of(ParseEvents.PAYMENTS, parsed.get(ParseEvents.PAYMENTS));
    List<PCollection<io.parity.ingest.DeadLetter>> dead = new ArrayList<>();
    dead.add(parsed.get(ParseEvents.DEAD_LETTERS));
    if (withLabels) {
      FieldMapping labelsMapping = FieldMapping.load(Path.of(options.getLabelsMapping()));
      Sources.Planned labelsSource = Sources.labels(options, labelsMapping);
      PCollectionTuple parsedLabels =
          pipeline
              .apply("ReadLabels", labelsSource.read())
              .apply("ParseLabels", ParseEvents.with(labelsMapping));
      input = input.and(ParseEvents.LABELS, parsedLabels.get(ParseEvents.LABELS));
      dead.add(parsedLabels.get(ParseEvents.DEAD_LETTERS));
      expected =
          expected < 0 || labelsSource.expectedRecords() < 0
              ? -1
              : expected + labelsSource.expectedRecords();
    }
    String out = options.getOutput();
    org.apache.beam.sdk.values.PCollectionList.of(dead)
        .apply("FlattenDeadLetters", org.apache.beam.sdk.transforms.Flatten.pCollections())
        .apply("WriteDeadLetters", new IngestPipeline.WriteDeadLetters(out));
    PCollection<FeaturedPayment> features =
        input.apply("ComputeFeatures", ComputeFeatures.of(spec));
    int shards = options.getShards();
    if (format.equals("csv")) {
      TextIO.Write write =
          TextIO.write()
              .to(out + "/features")
              .withSuffix(".csv")
              .withHeader(FeatureRows.header(spec));
      features
          .apply(
              "ToCsv",
              MapElements.into(TypeDescriptors.strings()).via(f -> FeatureRows.csv(fingerprint, f)))
          .apply("WriteCsv", shards > 0 ? write.withNumShards(shards) : write);
    } else {
      Schema schema = avroSchema(spec);
      String schemaJson = schema.toString();
      FileIO.Write<Void, GenericRecord> write =
          FileIO.<GenericRecord>write()
              .via(ParquetIO.sink(schema))
              .to(out)
              .withPrefix("features")
              .withSuffix(".parquet");
      features
          .apply("ToRecords", ParDo.of(new ToRecordFn(schemaJson, fingerprint)))
          .setCoder(AvroCoder.of(GenericRecord.class, schema))
          .apply("WriteParquet", shards > 0 ? write.withNumShards(shards) : write);
    }

    io.parity.metrics.Progress.Finished done =
        io.parity.metrics.Progress.run(pipeline, ParseEvents.METRICS_NAMESPACE, "features");
    Duration elapsed = done.elapsed();
    Map<String, Long> c = JobCounters.of(done.result(), ParseEvents.METRICS_NAMESPACE);
    IngestJob.Summary s = IngestJob.summarize(c, expected, elapsed);
    return new Summary(
        s.recordsIn(), s.payments(), s.labelsOnly(), s.deadLetters(), fingerprint, elapsed);
  }

  /** event_id, spec_fingerprint, then one double column per feature. */
  public static Schema avroSchema(FeatureSpec spec) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record("features")
            .namespace("io.parity")
            .fields()
            .requiredString("event_id")
            .requiredString("spec_fingerprint");
    for (String name : spec.featureNames()) {
      fields = fields.requiredDouble(name);
    }
    return fields.endRecord();
  }

  /** Builds Parquet rows; Avro schemas are not serializable, so each worker parses it once. */
  static final class ToRecordFn
      extends org.apache.beam.sdk.transforms.DoFn<FeaturedPayment, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final String schemaJson;
    private final String fingerprint;
    private transient Schema schema;

    ToRecordFn(String schemaJson, String fingerprint) {
      this.schemaJson = schemaJson;
      this.fingerprint = fingerprint;
    }

    @Setup
    public void setup() {
      schema = new Schema.Parser().parse(schemaJson);
    }

    @ProcessElement
    public void process(@Element FeaturedPayment f, OutputReceiver<GenericRecord> out) {
      out.output(toRecord(schema, fingerprint, f));
    }
  }

  private static GenericRecord toRecord(Schema schema, String fingerprint, FeaturedPayment f) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("event_id", f.payment().eventId());
    r.put("spec_fingerprint", fingerprint);
    List<Schema.Field> fields = schema.getFields();
    for (int i = 0; i < f.values().length; i++) {
      r.put(fields.get(i + 2).pos(), f.values()[i]);
    }
    return r;
  }
}
