package io.parity.cli;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.ingest.KafkaTopics;
import io.parity.scoring.ScoredPayment;
import io.parity.streaming.SpeedLayer;
import io.parity.streaming.StreamOptions;
import io.parity.testdata.GeneratedPayment;
import io.parity.testdata.JsonLinesCodec;
import io.parity.testdata.PaymentGenerator;
import io.parity.testdata.PaymentGeneratorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parity bench latency}: produce-to-score latency of the speed layer at a fixed event rate
 * against a real broker, with the job running in this JVM (so send and receive share one clock).
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description = {
      "Produce-to-score latency of the speed layer (what `parity stream` runs, cold start) at a"
          + " fixed rate: creates fresh topics, starts the job in this JVM, waits for its first"
          + " score, produces payments (event time = now) on an absolute schedule for"
          + " --warmup + --duration (+ 2 s cool-down) with labels for earlier payments, and"
          + " reads the scores topic. Latency = score received - payment sent (System.nanoTime,"
          + " one JVM), over the payments sent during --duration.",
      "Prints sent/scored/lost, sustained throughput, latency p50/p95/p99/max, where the time"
          + " goes, and how long the inputs' watermark alone holds a payment back. Deletes the"
          + " topics it created unless --keep-topics. Exit code 3 when scores were lost."
    })
final class LatencyBench implements Callable<Integer> {

  /** Traffic after the measured window, so its last payments do not wait for idle partitions. */
  static final Duration COOL_DOWN = Duration.ofSeconds(2);

  /** KafkaIO checks an idle partition's end offset once a second; plus the job's idle margin. */
  static final long IDLE_ADVANCE_MILLIS = 1_050;

  /** Exit code of a run that finished but lost scores (1 is the JVM's for an uncaught error). */
  static final int LOST_EXIT_CODE = 3;

  /** Flink's MiniCluster refusing a call after it shut down. */
  static final String MINI_CLUSTER_GONE = "MiniCluster is not yet running or has already been shut";

  /** The most distinct generated payments held in memory; longer runs cycle through them. */
  static final int MAX_POOL = 200_000;

  @Option(names = "--spec", required = true, description = "feature spec (YAML) of the model")
  Path spec;

  @Option(
      names = "--model",
      required = true,
      description = "model directory (models/NAME) trained on --spec")
  Path model;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description = "payments per second (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "PT60S",
      description = "measured window, ISO-8601, at least PT5S (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "PT10S",
      description = "traffic before the window, not measured (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(
      names = "--drain",
      defaultValue = "PT30S",
      description =
          "how long to wait for missing scores after producing; then they count as lost"
              + " (default: ${DEFAULT-VALUE})")
  Duration drain;

  @Option(
      names = "--startup-timeout",
      defaultValue = "PT180S",
      description = "how long to wait for the job's first score (default: ${DEFAULT-VALUE})")
  Duration startupTimeout;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
  String bootstrapServers;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "partitions of the payments topic (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(
      names = "--label-partitions",
      defaultValue = "1",
      description = "partitions of the labels topic (default: ${DEFAULT-VALUE})")
  int labelPartitions;

  @Option(
      names = "--label-rate",
      defaultValue = "0.01",
      description =
          "labels per payment, for earlier payments; 0 runs the job without a labels topic"
              + " (default: ${DEFAULT-VALUE})")
  double labelRate;

  @Option(
      names = "--cards",
      defaultValue = "10000",
      description = "cards of the generated population (default: ${DEFAULT-VALUE})")
  int cards;

  @Option(
      names = "--merchants",
      defaultValue = "2000",
      description = "merchants of the generated population (default: ${DEFAULT-VALUE})")
  int merchants;

  @Option(names = "--seed", defaultValue = "42", description = "default: ${DEFAULT-VALUE}")
  long seed;

  /** What runs the speed layer's work. */
  enum Engine {
    /** {@code parity stream}'s Beam pipeline on --runner. */
    beam,
    /** The plain-Java floor (io.parity.bench.PlainSpeedLayer): same work, no Beam. */
    plain
  }

  @Option(
      names = "--engine",
      defaultValue = "beam",
      description =
          "beam: the speed layer on --runner; plain: the same consumer -> parse -> features ->"
              + " TF score -> producer work in one plain Java loop, the floor the Beam figures"
              + " are compared with (default: ${DEFAULT-VALUE})")
  Engine engine = Engine.beam;

  @Option(
      names = "--csv",
      description =
          "also print one line: csv,runner,rate,seconds,sent,scored,lost,scores_per_s,"
              + "p50_ms,p95_ms,p99_ms,max_ms,read_p99_ms,features_p99_ms,score_p99_ms")
  boolean csv;

  @Option(names = "--keep-topics", description = "keep the run's topics (default: delete them)")
  boolean keepTopics;

  @Option(
      names = "--token-key-file",
      description = "tokenization key (default: work/secrets/token.key, created on first use)")
  Path tokenKey;

  @Mixin LakehouseOptionsMixin lakehouse;

  @Mixin RunnerOptions runner;

  @Override
  public Integer call() throws Exception {
    validate();
    String tag = "latency-" + label() + "-" + Long.toString(System.currentTimeMillis(), 36);
    Topics topics = new Topics(tag, labelRate > 0);
    Pool pool = Pool.generate(seed, cards, merchants, poolSize());
    Path dir = Files.createTempDirectory("parity-latency");
    dir.toFile().deleteOnExit();
    StreamOptions options = streamOptions(topics, dir);

    System.out.printf(
        "==> latency bench on %s: %s payments/s for %s after %s warm-up; %d payment"
            + " partitions, %s; %,d generated payments of %,d cards%n",
        label(),
        number(rate),
        duration,
        warmup,
        partitions,
        labelRate > 0
            ? String.format(
                Locale.ROOT,
                "labels %s per payment on %d partition(s)",
                number(labelRate),
                labelPartitions)
            : "no labels topic",
        pool.size(),
        cards);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    Run run = new Run(topics, pool, new Schedule(rate, labelRate, warmup, duration));
    Job job = null;
    Exception failure = null;
    try {
      topics.create(bootstrapServers, partitions, labelPartitions);
      Future<?> consumer = threads.submit(run.consumer(bootstrapServers));
      run.awaitPositioned(consumer);
      long t0 = System.nanoTime();
      String what;
      if (engine == Engine.plain) {
        job = Job.of(io.parity.bench.PlainSpeedLayer.start(options));
        what = "plain loop";
      } else {
        Pipeline pipeline = Pipeline.create(options);
        SpeedLayer.Plan plan = SpeedLayer.build(pipeline, options);
        job = Job.of(pipeline.run());
        what =
            String.format(
                Locale.ROOT,
                "model %s v%d, spec %s",
                plan.model().name(),
                plan.model().version(),
                plan.fingerprint());
      }
      try (KafkaProducer<String, String> producer = producer(bootstrapServers)) {
        run.awaitFirstScore(producer, job, consumer, startupTimeout);
        System.out.printf(
            "==> job up after %.1f s (%s): producing%n", (System.nanoTime() - t0) / 1e9, what);
        Future<?> produced = threads.submit(run.producer(producer));
        run.awaitProduced(produced, consumer, job);
      }
      run.drain(consumer, job, drain);
      run.stopConsumer(consumer);
      Report report = run.report(label());
      System.out.println(report.text());
      if (csv) {
        System.out.println(report.csv());
      }
      return report.lost() > 0 ? LOST_EXIT_CODE : 0;
    } catch (Exception e) {
      failure = e;
      throw e;
    } finally {
      run.stop.set(true);
      threads.shutdown(); // the consumer and producer end at `stop`; interrupt only if stuck
      if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
      cleanUp(job, topics, failure);
    }
  }

  /** The engine and runner in reports: {@code flink}, {@code direct} or {@code plain}. */
  String label() {
    return engine == Engine.plain ? "plain" : runner.runner().name();
  }

  /** A running speed layer: the Beam job or the plain loop. */
  interface Job {
    /** Whether it has ended; its failure, if any, is thrown by {@link #rethrow()}. */
    boolean ended();

    /** Throws why it ended, if it failed. */
    void rethrow();

    String state();

    /** Stops it and waits (bounded) until it has. */
    void stop();

    static Job of(io.parity.bench.PlainSpeedLayer loop) {
      return new Job() {
        @Override
        public boolean ended() {
          return loop.isStopped();
        }

        @Override
        public void rethrow() {
          loop.rethrowFailure();
        }

        @Override
        public String state() {
          return loop.isStopped() ? "STOPPED" : "RUNNING";
        }

        @Override
        public void stop() {
          try {
            loop.close();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the plain loop", e);
          }
        }
      };
    }

    static Job of(PipelineResult job) {
      return new Job() {
        @Override
        public boolean ended() {
          return job.getState().isTerminal();
        }

        @Override
        public void rethrow() {
          // Surfaces the job's exception, if any.
          job.waitUntilFinish(org.joda.time.Duration.millis(1));
        }

        @Override
        public String state() {
          return String.valueOf(job.getState());
        }

        @Override
        public void stop() {
          try {
            PipelineResult.State state = job.cancel();
            // Let the job's readers stop before their topics go.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((state == null || !state.isTerminal()) && System.nanoTime() < deadline) {
              Thread.sleep(100);
              state = job.getState();
            }
          } catch (IllegalStateException e) {
            // Flink[local]: the job's own mini-cluster shuts down once the job is cancelled and
            // then refuses every call about it; the job is gone, which is what cancel wants.
            if (e.getMessage() == null || !e.getMessage().contains(MINI_CLUSTER_GONE)) {
              throw e;
            }
          } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot cancel the job", e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cancelling the job", e);
          }
        }
      };
    }
  }

  /** Stops the job and deletes the run's topics; a failure here is added to an earlier one. */
  private void cleanUp(Job job, Topics topics, Exception earlier) {
    List<Runnable> steps = new ArrayList<>();
    if (job != null) {
      steps.add(job::stop);
    }
    if (!keepTopics) {
      steps.add(
          () -> {
            List<String> back = topics.delete(bootstrapServers);
            if (!back.isEmpty()) {
              // Beam's Direct runner never closes a cancelled job's Kafka readers; they poll on
              // until the JVM exits, and the broker auto-creates the topics they ask for.
              System.err.printf(
                  "parity: topics %s were deleted but exist again (empty, re-created by the"
                      + " cancelled job's Kafka readers: %s); delete them by hand%n",
                  back,
                  runner.runner() == RunnerOptions.Runner.direct
                      ? "the Direct runner never closes them"
                      : "still polling");
            }
          });
    }
    RuntimeException first = null;
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        if (earlier != null) {
          earlier.addSuppressed(e);
        } else if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  void validate() {
    if (!(rate > 0) || rate > 100_000) {
      throw new IllegalArgumentException(
          "--rate must be > 0 and <= 100000 payments/s, got " + rate);
    }
    if (duration.compareTo(Duration.ofSeconds(5)) < 0
        || duration.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "--duration must be between PT5S and PT1H, got " + duration);
    }
    if (warmup.isNegative() || warmup.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("--warmup must be between PT0S and PT1H, got " + warmup);
    }
    if (rate * duration.toMillis() / 1000.0 < 100) {
      throw new IllegalArgumentException(
          "--rate x --duration gives fewer than 100 measured payments: p99 needs more");
    }
    if (drain.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--drain must be at least PT1S, got " + drain);
    }
    if (startupTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "--startup-timeout must be at least PT1S, got " + startupTimeout);
    }
    if (!(labelRate >= 0 && labelRate <= 1)) {
      throw new IllegalArgumentException("--label-rate must be between 0 and 1, got " + labelRate);
    }
    if (partitions < 1 || labelPartitions < 1) {
      throw new IllegalArgumentException("--partitions and --label-partitions must be >= 1");
    }
    if (!Files.isRegularFile(spec)) {
      throw new IllegalArgumentException("--spec: no such file: " + spec);
    }
    if (!Files.isDirectory(model)) {
      throw new IllegalArgumentException(
          "--model: no such directory: "
              + model
              + " (train one for the spec: parity train --training-set NAME-vN --out "
              + model
              + ")");
    }
    runner.beamArgs(); // fails fast on bad runner options
  }

  private int poolSize() {
    long total = new Schedule(rate, labelRate, warmup, duration).paymentCount();
    return (int) Math.min(total, MAX_POOL);
  }

  /** The job's options, parsed the way {@code parity stream} parses them (cold start). */
  private StreamOptions streamOptions(Topics topics, Path dir) throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--topic", topics.payments));
    args.addAll(List.of("--mapping", resource("/mappings/payments-jsonl.yaml", dir).toString()));
    if (topics.labels != null) {
      args.addAll(List.of("--labels-topic", topics.labels));
      args.addAll(
          List.of("--labels-mapping", resource("/mappings/labels-jsonl.yaml", dir).toString()));
    }
    args.addAll(List.of("--spec", spec.toString(), "--model", model.toString()));
    args.addAll(List.of("--bootstrap-servers", bootstrapServers));
    args.addAll(List.of("--scores-topic", topics.scores));
    args.addAll(List.of("--dead-letters-topic", topics.deadLetters));
    args.addAll(List.of("--features-topic", topics.features));
    args.add("--no-warm-start");
    args.addAll(runner.cliArgs());
    args.addAll(List.of("--catalog", lakehouse.catalogType, "--warehouse", lakehouse.warehouse()));
    for (String p : lakehouse.properties) {
      args.addAll(List.of("--catalog-property", p));
    }
    if (tokenKey != null) {
      args.addAll(List.of("--token-key-file", tokenKey.toString()));
    }
    StreamCommand stream = new StreamCommand();
    new CommandLine(stream).parseArgs(args.toArray(String[]::new));
    return stream.options();
  }

  private static Path resource(String name, Path dir) throws IOException {
    Path target = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
    try (InputStream in = LatencyBench.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " (rebuild parity)");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    target.toFile().deleteOnExit();
    return target;
  }

  private static KafkaProducer<String, String> producer(String servers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "parity-latency-bench");
    // Send at once: a payment gateway does not wait to fill batches.
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  // ------------------------------------------------------------------ the run

  /** The fresh topics of one run. */
  static final class Topics {
    final String payments;
    final String labels;
    final String scores;
    final String deadLetters;
    final String features;
    private final List<String> created = new ArrayList<>();

    Topics(String tag, boolean withLabels) {
      payments = tag + "-payments";
      labels = withLabels ? tag + "-labels" : null;
      scores = tag + "-scores";
      deadLetters = tag + "-dead-letters";
      features = tag + "-features";
    }

    /** Creates every topic (LogAppendTime); fails if one exists (names are unique per run). */
    void create(String servers, int paymentPartitions, int labelPartitions) {
      Map<String, Integer> wanted = new LinkedHashMap<>();
      wanted.put(payments, paymentPartitions);
      if (labels != null) {
        wanted.put(labels, labelPartitions);
      }
      wanted.put(scores, 1);
      wanted.put(deadLetters, 1);
      wanted.put(features, 1);
      try (Admin admin = KafkaTopics.admin(servers)) {
        for (Map.Entry<String, Integer> t : wanted.entrySet()) {
          admin
              .createTopics(
                  List.of(
                      new NewTopic(t.getKey(), t.getValue(), (short) 1)
                          .configs(KafkaTopics.APPEND_TIME)))
              .all()
              .get(30, TimeUnit.SECONDS);
          created.add(t.getKey());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating the bench topics", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException(
            "cannot create the bench topics on " + servers + ": " + e.getMessage(), e);
      }
    }

    /**
     * Deletes the topics this run created (and nothing else); returns those that exist again a
     * second later.
     */
    List<String> delete(String servers) {
      if (created.isEmpty()) {
        return List.of();
      }
      try (Admin admin = KafkaTopics.admin(servers)) {
        admin.deleteTopics(created).all().get(30, TimeUnit.SECONDS);
        Thread.sleep(1_000);
        Set<String> now = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        return created.stream().filter(now::contains).toList();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while deleting topics " + created, e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException(
            "cannot delete the bench topics " + created + ": " + e.getMessage(), e);
      }
    }
  }

  /** Generated payments (card, merchant, amount, place) and whether each is a fraud. */
  record Pool(List<PaymentEvent> payments, boolean[] fraud) {
    static Pool generate(long seed, int cards, int merchants, int size) {
      // About two payments per card and day: enough days for `size` payments.
      int days = (int) Math.min(3660, Math.ceil(size / (2.0 * cards)) + 1);
      PaymentGeneratorConfig config =
          PaymentGeneratorConfig.defaults()
              .withSeed(seed)
              .withCards(cards)
              .withMerchants(merchants)
              .withDays(days);
      Iterator<GeneratedPayment> it = PaymentGenerator.create(config).payments();
      List<PaymentEvent> payments = new ArrayList<>(size);
      boolean[] fraud = new boolean[size];
      while (payments.size() < size && it.hasNext()) {
        GeneratedPayment g = it.next();
        fraud[payments.size()] = g.isFraud();
        payments.add(g.event());
      }
      if (payments.isEmpty()) {
        throw new IllegalStateException("the generator produced no payments for " + config);
      }
      return new Pool(payments, Arrays.copyOf(fraud, payments.size()));
    }

    int size() {
      return payments.size();
    }
  }

  /**
   * The fixed-rate schedule: payment {@code i} is due {@code i / rate} seconds after the start,
   * label {@code j} at {@code j / (rate x labelRate)}; payments due in [warmup, warmup + duration)
   * are measured, a cool-down follows.
   */
  record Schedule(double rate, double labelRate, Duration warmup, Duration duration) {
    Pacer payments() {
      return new Pacer(rate);
    }

    long paymentCount() {
      return new Pacer(rate).count(total());
    }

    long labelCount() {
      return labelRate > 0 ? new Pacer(rate * labelRate).count(total()) : 0;
    }

    Duration total() {
      return warmup.plus(duration).plus(COOL_DOWN);
    }

    /** The first measured payment. */
    long firstMeasured() {
      return new Pacer(rate).count(warmup);
    }

    /** One after the last measured payment. */
    long endMeasured() {
      return new Pacer(rate).count(warmup.plus(duration));
    }
  }

  /** Events at a fixed rate on an absolute schedule: event i is due at i / rate s, never drifts. */
  record Pacer(double perSecond) {
    Pacer {
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("rate must be positive, got " + perSecond);
      }
    }

    /** Nanoseconds after the start at which event {@code i} is due. */
    long dueNanos(long i) {
      return (long) Math.floor(i * 1e9 / perSecond);
    }

    /** How many events are due within {@code d} of the start: those with due time < d. */
    long count(Duration d) {
      long n = (long) Math.ceil(d.toNanos() * perSecond / 1e9);
      // Agree with dueNanos exactly, whatever the floating-point rounding.
      while (n > 0 && dueNanos(n - 1) >= d.toNanos()) {
        n--;
      }
      while (dueNanos(n) < d.toNanos()) {
        n++;
      }
      return n;
    }
  }

  /** Shared state of one run: what was sent when, and what came back when. */
  final class Run {
    final Topics topics;
    final Pool pool;
    final Schedule schedule;
    final String prefix;
    final int total;
    final int labels;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicBoolean positioned = new AtomicBoolean();
    final AtomicBoolean probeScored = new AtomicBoolean();
    final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong scoredCount = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();

    // Per payment i (cross-thread: producer, its I/O thread, consumer, main).
    final AtomicLongArray sendNanos;
    final AtomicLongArray appendMillis;
    final AtomicIntegerArray partition;
    final AtomicLongArray receiveNanos;
    final AtomicLongArray scoredAtMillis;
    final AtomicLongArray readAtMillis;
    final AtomicLongArray featuresAtMillis;
    final AtomicLongArray scoreAppendMillis;
    // Per label j.
    final AtomicLongArray labelAppendMillis;
    final AtomicIntegerArray labelPartition;

    // Wall clock of System.nanoTime(): broker and job stamp wall-clock milliseconds.
    final long anchorNanos = System.nanoTime();
    final long anchorMillis = System.currentTimeMillis();
    volatile long startNanos;
    private long nextStateCheck;

    Run(Topics topics, Pool pool, Schedule schedule) {
      this.topics = topics;
      this.pool = pool;
      this.schedule = schedule;
      this.prefix = topics.payments.replace("-payments", "") + "-";
      this.total = Math.toIntExact(schedule.paymentCount());
      this.labels = Math.toIntExact(schedule.labelCount());
      sendNanos = new AtomicLongArray(total);
      appendMillis = new AtomicLongArray(total);
      partition = new AtomicIntegerArray(total);
      receiveNanos = new AtomicLongArray(total);
      scoredAtMillis = new AtomicLongArray(total);
      readAtMillis = new AtomicLongArray(total);
      featuresAtMillis = new AtomicLongArray(total);
      scoreAppendMillis = new AtomicLongArray(total);
      labelAppendMillis = new AtomicLongArray(labels);
      labelPartition = new AtomicIntegerArray(labels);
    }

    long wallNanos(long nanoTime) {
      return anchorMillis * 1_000_000L + (nanoTime - anchorNanos);
    }

    /** Reads the scores topic from its current end until stopped. */
    Runnable consumer(String servers) {
      return () -> {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "parity-latency-bench");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
          List<TopicPartition> tps =
              consumer.partitionsFor(topics.scores).stream()
                  .map(i -> new TopicPartition(topics.scores, i.partition()))
                  .toList();
          consumer.assign(tps);
          consumer.seekToEnd(tps);
          tps.forEach(consumer::position); // resolve the end now, before anything is produced
          positioned.set(true);
          while (!stop.get()) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
              long now = System.nanoTime();
              receive(ScoredPayment.fromJson(r.value()), r.timestamp(), now);
            }
          }
        }
      };
    }

    private void receive(ScoredPayment s, long appendedMillis, long now) {
      String id = s.eventId();
      if (!id.startsWith(prefix)) {
        throw new IllegalStateException("a score of a payment this run did not send: " + id);
      }
      String rest = id.substring(prefix.length());
      if (rest.startsWith("probe-")) {
        probeScored.set(true);
        return;
      }
      int i = Integer.parseInt(rest);
      if (receiveNanos.get(i) != 0) {
        duplicates.incrementAndGet(); // at-least-once delivery: the first one counts
        return;
      }
      scoredAtMillis.set(i, s.scoredAt());
      readAtMillis.set(i, s.readAt());
      featuresAtMillis.set(i, s.featuresAt());
      scoreAppendMillis.set(i, appendedMillis);
      receiveNanos.set(i, now);
      scoredCount.incrementAndGet();
    }

    void awaitPositioned(Future<?> consumer) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!positioned.get()) {
        check(consumer, null);
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "cannot read topic " + topics.scores + " within 60 s: is the broker up?");
        }
        Thread.sleep(20);
      }
    }

    /** Sends one probe payment every 500 ms until one is scored. */
    void awaitFirstScore(
        KafkaProducer<String, String> producer, Job job, Future<?> consumer, Duration timeout)
        throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      int probes = 0;
      long nextProbe = System.nanoTime();
      while (!probeScored.get()) {
        check(consumer, job);
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the job gave no score within "
                  + timeout
                  + " (sent "
                  + probes
                  + " probe payments to "
                  + topics.payments
                  + "; job state "
                  + job.state()
                  + "): see its log above, or raise --startup-timeout");
        }
        if (System.nanoTime() >= nextProbe) {
          PaymentEvent p = pool.payments().get(probes % pool.size());
          String id = prefix + "probe-" + probes++;
          producer.send(
              new ProducerRecord<>(topics.payments, id, JsonLinesCodec.toJson(restamp(p, id))),
              (md, e) -> {
                if (e != null) {
                  sendFailure.compareAndSet(null, e);
                }
              });
          nextProbe = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        }
        Thread.sleep(10);
      }
    }

    /** Sends every payment and label at its due time, from one thread. */
    Runnable producer(KafkaProducer<String, String> producer) {
      return () -> {
        Pacer payments = schedule.payments();
        Pacer labelPacer = labels > 0 ? new Pacer(rate * labelRate) : null;
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.nanoTime();
        startNanos = start;
        int next = 0;
        int nextLabel = 0;
        while ((next < total || nextLabel < labels) && !stop.get()) {
          long elapsed = System.nanoTime() - start;
          while (next < total && payments.dueNanos(next) <= elapsed) {
            send(producer, next++);
          }
          while (nextLabel < labels && labelPacer.dueNanos(nextLabel) <= elapsed && next > 0) {
            sendLabel(producer, nextLabel++, random.nextInt(next));
          }
          long due = Long.MAX_VALUE;
          if (next < total) {
            due = payments.dueNanos(next);
          }
          if (nextLabel < labels) {
            due = Math.min(due, labelPacer.dueNanos(nextLabel));
          }
          long wait = due - (System.nanoTime() - start);
          if (wait > 0) {
            LockSupport.parkNanos(Math.min(wait, 1_000_000));
          }
        }
        producer.flush();
      };
    }

    private void send(KafkaProducer<String, String> producer, int i) {
      PaymentEvent p = pool.payments().get(i % pool.size());
      String id = prefix + i;
      String json = JsonLinesCodec.toJson(restamp(p, id));
      long now = System.nanoTime();
      sendNanos.set(i, now);
      producer.send(
          new ProducerRecord<>(topics.payments, p.cardId(), json),
          (md, e) -> {
            if (e != null) {
              sendFailure.compareAndSet(null, e);
            } else {
              appendMillis.set(i, md.timestamp());
              partition.set(i, md.partition());
            }
          });
      sent.incrementAndGet();
    }

    private void sendLabel(KafkaProducer<String, String> producer, int j, int payment) {
      String id = prefix + payment;
      LabelEvent label =
          new LabelEvent(id, pool.fraud()[payment % pool.size()], System.currentTimeMillis());
      producer.send(
          new ProducerRecord<>(topics.labels, id, JsonLinesCodec.toJson(label)),
          (md, e) -> {
            if (e != null) {
              sendFailure.compareAndSet(null, e);
            } else {
              labelAppendMillis.set(j, md.timestamp());
              labelPartition.set(j, md.partition());
            }
          });
    }

    /** The payment with a new id and event time now. */
    private PaymentEvent restamp(PaymentEvent p, String id) {
      return new PaymentEvent(
          id,
          System.currentTimeMillis(),
          p.cardId(),
          p.merchantId(),
          p.amount(),
          p.currency(),
          p.merchantCategory(),
          p.latitude(),
          p.longitude(),
          p.channel());
    }

    void awaitProduced(Future<?> produced, Future<?> consumer, Job job) throws Exception {
      long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!produced.isDone()) {
        check(consumer, job);
        if (System.nanoTime() > nextProgress) {
          System.out.printf("    %,d payments sent, %,d scored%n", sent.get(), scoredCount.get());
          nextProgress += TimeUnit.SECONDS.toNanos(10);
        }
        Thread.sleep(50);
      }
      get(produced, "the producer");
      check(consumer, job);
    }

    /** Waits until every measured payment is scored, or the drain time is over. */
    void drain(Future<?> consumer, Job job, Duration drain) throws Exception {
      long deadline = System.nanoTime() + drain.toNanos();
      while (missing() > 0 && System.nanoTime() < deadline) {
        check(consumer, job);
        Thread.sleep(100);
      }
    }

    private long missing() {
      long missing = 0;
      for (long i = schedule.firstMeasured(); i < schedule.endMeasured(); i++) {
        if (receiveNanos.get((int) i) == 0) {
          missing++;
        }
      }
      return missing;
    }

    void stopConsumer(Future<?> consumer) throws Exception {
      stop.set(true);
      get(consumer, "the scores consumer");
    }

    /** Fails with the cause if the consumer, the producer's sends or the job failed. */
    private void check(Future<?> consumer, Job job) throws Exception {
      if (consumer.isDone()) {
        get(consumer, "the scores consumer");
        if (!stop.get()) {
          throw new IllegalStateException("the scores consumer stopped early");
        }
      }
      Exception e = sendFailure.get();
      if (e != null) {
        throw new IllegalStateException("a send to Kafka failed: " + e.getMessage(), e);
      }
      long now = System.nanoTime();
      if (job == null || now < nextStateCheck) {
        return;
      }
      nextStateCheck = now + TimeUnit.MILLISECONDS.toNanos(500);
      if (job.ended()) {
        job.rethrow();
        throw new IllegalStateException(
            "the job ended (" + job.state() + ") before the benchmark finished");
      }
    }

    private void get(Future<?> f, String what) throws Exception {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
      }
    }

    /** The figures of the measured window. */
    Report report(String runnerName) {
      int first = (int) schedule.firstMeasured();
      int end = (int) schedule.endMeasured();
      long windowStart = startNanos + schedule.warmup().toNanos();
      long windowEnd = startNanos + schedule.warmup().plus(schedule.duration()).toNanos();
      List<Long> latency = new ArrayList<>();
      List<Long> produce = new ArrayList<>();
      List<Long> job = new ArrayList<>();
      List<Long> read = new ArrayList<>();
      List<Long> features = new ArrayList<>();
      List<Long> score = new ArrayList<>();
      List<Long> write = new ArrayList<>();
      List<Long> consume = new ArrayList<>();
      List<Long> lag = new ArrayList<>();
      List<Long> hold = new ArrayList<>();
      long labelsLast = 0;
      List<InputPartition> inputs = inputPartitions();
      long lost = 0;
      for (int i = first; i < end; i++) {
        lag.add(sendNanos.get(i) - startNanos - schedule.payments().dueNanos(i));
        // The hold depends on the inputs alone: every measured payment, scored or not.
        Hold h = Hold.of(appendMillis.get(i), inputs, IDLE_ADVANCE_MILLIS);
        hold.add(h.millis() * 1_000_000L);
        if (topics.labels != null && topics.labels.equals(h.topic())) {
          labelsLast++;
        }
        long received = receiveNanos.get(i);
        if (received == 0) {
          lost++;
          continue;
        }
        latency.add(received - sendNanos.get(i));
        long appended = appendMillis.get(i) * 1_000_000L;
        long scored = scoredAtMillis.get(i) * 1_000_000L;
        long scoreAppended = scoreAppendMillis.get(i) * 1_000_000L;
        produce.add(appended - wallNanos(sendNanos.get(i)));
        job.add(scored - appended);
        long readAt = readAtMillis.get(i) * 1_000_000L;
        long featuresAt = featuresAtMillis.get(i) * 1_000_000L;
        if (readAt > 0 && featuresAt > 0) {
          read.add(readAt - appended);
          features.add(featuresAt - readAt);
          score.add(scored - featuresAt);
        }
        write.add(scoreAppended - scored);
        consume.add(wallNanos(received) - scoreAppended);
      }
      long inWindow = 0;
      for (int i = 0; i < total; i++) {
        long r = receiveNanos.get(i);
        if (r >= windowStart && r < windowEnd) {
          inWindow++;
        }
      }
      double seconds = (windowEnd - windowStart) / 1e9;
      return new Report(
          runnerName,
          rate,
          topics.labels == null ? 0 : labelRate,
          schedule.duration(),
          end - first,
          latency.size(),
          lost,
          duplicates.get(),
          inWindow / seconds,
          Summary.of(latency),
          Summary.of(produce),
          Summary.of(job),
          Summary.of(read),
          Summary.of(features),
          Summary.of(score),
          Summary.of(write),
          Summary.of(consume),
          Summary.of(hold),
          topics.labels == null ? Double.NaN : (double) labelsLast / Math.max(1, end - first),
          Summary.of(lag));
    }

    /** The append times of every input partition (payments and labels), sorted. */
    private List<InputPartition> inputPartitions() {
      List<InputPartition> inputs = new ArrayList<>();
      inputs.addAll(byPartition(topics.payments, partitions, appendMillis, partition, total, 0));
      if (topics.labels != null) {
        // The job stamps labels (and their watermark) label_apply_delay after arrival.
        long shift = io.parity.features.SpecFile.load(spec).labelApplyDelay().toMillis();
        inputs.addAll(
            byPartition(
                topics.labels, labelPartitions, labelAppendMillis, labelPartition, labels, shift));
      }
      return inputs;
    }
  }

  private static List<InputPartition> byPartition(
      String topic,
      int count,
      AtomicLongArray appended,
      AtomicIntegerArray partition,
      int n,
      long shiftMillis) {
    List<List<Long>> times = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      times.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      if (appended.get(i) != 0) {
        times.get(partition.get(i)).add(appended.get(i));
      }
    }
    List<InputPartition> out = new ArrayList<>();
    for (List<Long> t : times) {
      out.add(
          new InputPartition(
              topic, t.stream().mapToLong(Long::longValue).sorted().toArray(), shiftMillis));
    }
    return out;
  }

  // ------------------------------------------------------------------ figures

  /**
   * The append times (ms) of one input partition, ascending, and how much later than its append
   * time the job stamps each record (labels: the spec's label apply delay).
   */
  record InputPartition(String topic, long[] appendMillis, long shiftMillis) {
    InputPartition(String topic, long[] appendMillis) {
      this(topic, appendMillis, 0);
    }
  }

  /**
   * How long the inputs' watermark alone holds back a payment appended at {@code t}: the watermark
   * passes t once every input partition has a record appended after t (or, idle, its end offset was
   * checked), so the hold is the longest wait over partitions for their next record, capped at the
   * idle advance. {@code topic} is the partition's topic that waited longest.
   */
  record Hold(long millis, String topic) {
    static Hold of(long t, List<InputPartition> inputs, long idleCapMillis) {
      long worst = -1;
      String topic = null;
      for (InputPartition p : inputs) {
        // A shifted partition passes t once a record appended after t - shift is there.
        long wait = Math.max(0, nextAfter(p.appendMillis(), t - p.shiftMillis()) - t);
        wait = Math.min(wait, Math.max(0, idleCapMillis - p.shiftMillis()));
        if (wait > worst) {
          worst = wait;
          topic = p.topic();
        }
      }
      return new Hold(Math.max(worst, 0), topic);
    }

    /** The first value > t in ascending {@code times}; Long.MAX_VALUE / 2 if none. */
    static long nextAfter(long[] times, long t) {
      int lo = 0;
      int hi = times.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (times[mid] <= t) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo < times.length ? times[lo] : Long.MAX_VALUE / 2;
    }
  }

  /** Percentiles (nearest rank) of durations, in milliseconds. */
  record Summary(int count, double p50, double p95, double p99, double max) {
    static Summary of(List<Long> nanos) {
      long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      return new Summary(
          sorted.length,
          percentile(sorted, 50) / 1e6,
          percentile(sorted, 95) / 1e6,
          percentile(sorted, 99) / 1e6,
          sorted[sorted.length - 1] / 1e6);
    }

    /** The nearest-rank percentile: the smallest value with at least q % of values <= it. */
    static long percentile(long[] sorted, double q) {
      if (sorted.length == 0) {
        throw new IllegalArgumentException("no values");
      }
      if (!(q > 0 && q <= 100)) {
        throw new IllegalArgumentException("percentile must be in (0, 100], got " + q);
      }
      int rank = (int) Math.ceil(q / 100 * sorted.length);
      return sorted[Math.max(rank, 1) - 1];
    }
  }

  /** The result of one run. */
  record Report(
      String runner,
      double rate,
      double labelRate,
      Duration window,
      long sent,
      long scored,
      long lost,
      long duplicates,
      double scoresPerSecond,
      Summary latency,
      Summary produce,
      Summary job,
      Summary read,
      Summary features,
      Summary score,
      Summary write,
      Summary consume,
      Summary hold,
      double labelsLastShare,
      Summary scheduleLag) {

    String text() {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "latency on %s at %s payments/s: p50 %s, p95 %s, p99 %s, max %s ms;"
                  + " %.0f scores/s sustained; %,d sent, %,d scored, %,d lost in %d s%n",
              runner,
              number(rate),
              ms(latency.p50()),
              ms(latency.p95()),
              ms(latency.p99()),
              ms(latency.max()),
              scoresPerSecond,
              sent,
              scored,
              lost,
              window.toSeconds()));
      if (lost > 0) {
        b.append(
            String.format(
                Locale.ROOT,
                "    LOST: %,d of %,d measured payments got no score (percentiles are over the"
                    + " scored ones)%n",
                lost,
                sent));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "    where the time goes (whole-ms stamps), p50 / p99 ms:"
                  + " send -> payments topic %s / %s,"
                  + " -> scored %s / %s, -> scores topic %s / %s, -> received %s / %s%n",
              ms(produce.p50()),
              ms(produce.p99()),
              ms(job.p50()),
              ms(job.p99()),
              ms(write.p50()),
              ms(write.p99()),
              ms(consume.p50()),
              ms(consume.p99())));
      if (read.count() > 0) {
        b.append(
            String.format(
                Locale.ROOT,
                "    inside the job, p50 / p99 ms: payments topic -> read %s / %s,"
                    + " read -> features %s / %s, features -> scored %s / %s%n",
                ms(read.p50()),
                ms(read.p99()),
                ms(features.p50()),
                ms(features.p99()),
                ms(score.p50()),
                ms(score.p99())));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "    input watermark hold (every input partition has a later record), p50 / p99 ms:"
                  + " %s / %s; %s%n",
              ms(hold.p50()),
              ms(hold.p99()),
              Double.isNaN(labelsLastShare)
                  ? "no labels topic"
                  : String.format(
                      Locale.ROOT,
                      "the labels topic was the last for %.0f%% of payments (%s labels/s)",
                      100 * labelsLastShare,
                      number(rate * labelRate))));
      b.append(
          String.format(
              Locale.ROOT,
              "    producer behind schedule p99 %s ms, max %s ms; %,d duplicate scores",
              ms(scheduleLag.p99()),
              ms(scheduleLag.max()),
              duplicates));
      return b.toString();
    }

    String csv() {
      return String.join(
          ",",
          "csv",
          runner,
          number(rate),
          Long.toString(window.toSeconds()),
          Long.toString(sent),
          Long.toString(scored),
          Long.toString(lost),
          String.format(Locale.ROOT, "%.1f", scoresPerSecond),
          ms(latency.p50()),
          ms(latency.p95()),
          ms(latency.p99()),
          ms(latency.max()),
          ms(read.p99()),
          ms(features.p99()),
          ms(score.p99()));
    }
  }

  /** Milliseconds with one decimal ("n/a" when there are none). */
  static String ms(double millis) {
    return Double.isNaN(millis) ? "n/a" : String.format(Locale.ROOT, "%.1f", millis);
  }

  /** A rate without a useless ".0". */
  static String number(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15
        ? Long.toString((long) x)
        : String.format(Locale.ROOT, "%s", x);
  }
}
