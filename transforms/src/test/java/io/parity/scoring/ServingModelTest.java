package io.parity.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ServingModelTest {
  private static final String FP = "fp-serving";
  private static final List<String> MODEL_FEATURES = List.of("amount", "count_1h", "risk");
  // The running spec produces more features, in another order.
  private static final List<String> SPEC_FEATURES = List.of("risk", "extra", "amount", "count_1h");
  private static final Duration POLL = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  private ModelStore store() {
    return ModelStore.at(dir.resolve("models/fraud"));
  }

  private ServingModel open(Duration poll) {
    return ServingModel.open(store().dir(), FP, SPEC_FEATURES, poll, clock::get);
  }

  /** A spec-order row for a model-order row (extra = 999, never used by the model). */
  private static double[] specRow(double amount, double count, double risk) {
    return new double[] {risk, 999, amount, count};
  }

  private static final double[][] SPEC_ROWS = {
    specRow(3, 12, 21), specRow(-4, 8, 25), specRow(Double.NaN, 10, 20)
  };

  private static double expected(TestModels.Spec spec, double[] specRow) {
    return spec.expected(new double[] {specRow[2], specRow[3], specRow[0]});
  }

  private static void assertScoredBy(ServingModel.Scores s, TestModels.Spec spec, int version) {
    assertThat(s.model().version()).isEqualTo(version);
    for (int i = 0; i < SPEC_ROWS.length; i++) {
      assertThat((double) s.scores()[i])
          .as("row %d by version %d", i, version)
          .isCloseTo(expected(spec, SPEC_ROWS[i]), within(1e-6));
    }
  }

  @Test
  void refusesToStartOnAnotherSpecFingerprint() {
    TestModels.publish(store(), TestModels.spec("fp-old", MODEL_FEATURES), 1);
    assertThatThrownBy(() -> open(POLL))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("model fraud version 1 was trained on spec fingerprint fp-old")
        .hasMessageContaining("(training set fraud-v1)")
        .hasMessageContaining("the running spec has fingerprint " + FP)
        .hasMessageContaining(
            "retrain on a training set of this spec or run the spec the model was trained on");
  }

  @Test
  void refusesToStartWhenTheSpecLacksAModelFeature() {
    TestModels.publish(
        store(), TestModels.spec(FP, List.of("amount", "velocity_7d", "risk", "age")), 1);
    assertThatThrownBy(() -> open(POLL))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("needs features [velocity_7d, age]")
        .hasMessageContaining("does not produce (it produces " + SPEC_FEATURES + ")");
  }

  @Test
  void refusesToStartWithoutACompleteVersion() throws Exception {
    Files.createDirectories(store().versionDir(1)); // half a model: no metadata
    assertThatThrownBy(() -> open(POLL))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("no complete model version in " + store().dir())
        .hasMessageContaining("parity train --training-set");
  }

  @Test
  void scoresSpecOrderRowsInModelOrder() {
    TestModels.Spec v1 = TestModels.spec(FP, MODEL_FEATURES);
    TestModels.publish(store(), v1, 1);
    try (ServingModel model = open(POLL)) {
      assertScoredBy(model.score(SPEC_ROWS), v1, 1);
      assertThatThrownBy(() -> model.score(new double[][] {{1, 2, 3}}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the spec has 4 features");
    }
  }

  @Test
  void hotReloadPicksUpANewVersionAfterThePollInterval() {
    TestModels.Spec v1 = TestModels.spec(FP, MODEL_FEATURES);
    TestModels.Spec v2 = v1.withBias(-1.5f);
    TestModels.publish(store(), v1, 1);
    try (ServingModel model = open(POLL)) {
      assertScoredBy(model.score(SPEC_ROWS), v1, 1);
      TestModels.publish(store(), v2, 2);

      clock.addAndGet(POLL.toNanos() - 1);
      assertScoredBy(model.score(SPEC_ROWS), v1, 1);

      clock.addAndGet(1);
      assertScoredBy(model.score(SPEC_ROWS), v2, 2);
      assertThat(model.current().version()).isEqualTo(2);
      assertThat(model.refused()).isZero();
    }
  }

  @Test
  void brokenOrMismatchingVersionsAreRefusedOnceAndTheOldVersionKeepsServing() throws Exception {
    TestModels.Spec v1 = TestModels.spec(FP, MODEL_FEATURES);
    TestModels.Spec v2 = v1.withBias(-1.5f);
    TestModels.publish(store(), v1, 1);
    try (ServingModel model = open(POLL)) {
      TestModels.publish(store(), v2, 2);
      clock.addAndGet(POLL.toNanos());
      assertScoredBy(model.score(SPEC_ROWS), v2, 2);

      // Version 3: a garbage saved_model.pb.
      Path v3 = TestModels.publish(store(), v1.withBias(3f), 3);
      Files.writeString(v3.resolve("saved_model.pb"), "garbage");
      clock.addAndGet(POLL.toNanos());
      assertScoredBy(model.score(SPEC_ROWS), v2, 2);
      assertThat(model.refused()).isEqualTo(1);
      assertThat(model.refusedVersions().get(3)).contains("cannot load the SavedModel in " + v3);

      // Not retried at the next polls.
      clock.addAndGet(POLL.toNanos());
      assertScoredBy(model.score(SPEC_ROWS), v2, 2);
      assertThat(model.refused()).isEqualTo(1);

      // Version 4: its SavedModel does not reproduce its smoke scores (another model's graph).
      Path v4 = TestModels.publish(store(), v1.withBias(2f), 4);
      Path other = dir.resolve("other");
      TestModels.write(other, v1.withBias(0f), 4);
      Files.copy(
          other.resolve("saved_model.pb"),
          v4.resolve("saved_model.pb"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      // Version 5: another spec fingerprint.
      TestModels.publish(store(), v1.withFingerprint("fp-new"), 5);
      clock.addAndGet(POLL.toNanos());
      assertScoredBy(model.score(SPEC_ROWS), v2, 2);
      assertThat(model.refused()).isEqualTo(3);
      assertThat(model.refusedVersions().get(4)).contains("smoke mismatch");
      assertThat(model.refusedVersions().get(5)).contains("fp-new").contains(FP);

      // A good version 6 after the refused ones is picked up.
      TestModels.Spec v6 = v1.withBias(0.75f);
      TestModels.publish(store(), v6, 6);
      clock.addAndGet(POLL.toNanos());
      assertScoredBy(model.score(SPEC_ROWS), v6, 6);
      assertThat(model.refused()).isEqualTo(3);
    }
  }

  @Test
  void concurrentScoringDuringReloadsSeesOneVersionPerBatch() throws Exception {
    List<TestModels.Spec> specs = new ArrayList<>();
    for (int v = 1; v <= 4; v++) {
      specs.add(TestModels.spec(FP, MODEL_FEATURES).withBias(-1f + v * 0.5f));
    }
    TestModels.publish(store(), specs.get(0), 1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    // Poll interval zero: every score call looks for a new version.
    try (ServingModel model = open(Duration.ZERO)) {
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch started = new CountDownLatch(4);
      ConcurrentHashMap<Integer, Integer> seen = new ConcurrentHashMap<>();
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        workers.add(
            pool.submit(
                () -> {
                  int batches = 0;
                  started.countDown();
                  while (!stop.get() || batches < 20) {
                    ServingModel.Scores s = model.score(SPEC_ROWS);
                    int v = s.model().version();
                    assertScoredBy(s, specs.get(v - 1), v);
                    seen.merge(v, 1, Integer::sum);
                    batches++;
                  }
                  return batches;
                }));
      }
      started.await();
      for (int v = 2; v <= 4; v++) {
        Thread.sleep(50);
        TestModels.publish(store(), specs.get(v - 1), v);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (model.current().version() != v && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertThat(model.current().version()).isEqualTo(v);
      }
      Thread.sleep(50);
      stop.set(true);
      int total = 0;
      for (Future<Integer> w : workers) {
        total += w.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isGreaterThanOrEqualTo(80);
      assertThat(seen).containsKey(4);
      assertThat(model.refused()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sharedInstancesAreOnePerDirectoryAndFingerprint() {
    TestModels.publish(store(), TestModels.spec(FP, MODEL_FEATURES), 1);
    ServingModel a = ServingModel.shared(store().dir(), FP, SPEC_FEATURES, POLL);
    ServingModel b =
        ServingModel.shared(dir.resolve("models/../models/fraud"), FP, SPEC_FEATURES, POLL);
    assertThat(b).isSameAs(a);
    a.close();
    assertThat(b.score(SPEC_ROWS).scores()).hasSize(3); // still open for its other user
    b.close();
    assertThatThrownBy(() -> b.score(SPEC_ROWS)).hasMessageContaining("is closed");
    ServingModel c = ServingModel.shared(store().dir(), FP, SPEC_FEATURES, POLL);
    try {
      assertThat(c).isNotSameAs(a);
      assertThat(c.score(SPEC_ROWS).model().version()).isEqualTo(1);
    } finally {
      c.close();
    }
  }
}
