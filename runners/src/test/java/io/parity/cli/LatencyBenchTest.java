package io.parity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parity.cli.LatencyBench.Hold;
import io.parity.cli.LatencyBench.InputPartition;
import io.parity.cli.LatencyBench.Pacer;
import io.parity.cli.LatencyBench.Report;
import io.parity.cli.LatencyBench.Schedule;
import io.parity.cli.LatencyBench.Summary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The pure parts of {@code parity bench latency}: pacing, percentiles, the hold bound, report. */
@Timeout(60)
class LatencyBenchTest {

  // ------------------------------------------------------------------ pacing

  @Test
  void paymentsAreDueOnAnAbsoluteScheduleThatDoesNotDrift() {
    Pacer pacer = new Pacer(1000);
    assertThat(pacer.dueNanos(0)).isZero();
    assertThat(pacer.dueNanos(1)).isEqualTo(1_000_000);
    assertThat(pacer.dueNanos(60_000)).isEqualTo(60_000_000_000L);
    // A rate that is no whole number of nanoseconds apart still lands exactly, never summed up.
    Pacer thirds = new Pacer(3);
    assertThat(thirds.dueNanos(1)).isEqualTo(333_333_333);
    assertThat(thirds.dueNanos(2)).isEqualTo(666_666_666);
    assertThat(thirds.dueNanos(3)).isEqualTo(1_000_000_000);
    assertThat(thirds.dueNanos(3_000_000)).isEqualTo(1_000_000_000_000_000L);
  }

  @Test
  void countIsTheNumberOfEventsDueBeforeTheEndOfAPeriod() {
    assertThat(new Pacer(1000).count(Duration.ofSeconds(1))).isEqualTo(1000);
    assertThat(new Pacer(5000).count(Duration.ofSeconds(72))).isEqualTo(360_000);
    assertThat(new Pacer(3).count(Duration.ofMillis(1))).isEqualTo(1);
    assertThat(new Pacer(10).count(Duration.ZERO)).isZero();
    SplittableRandom random = new SplittableRandom(7);
    for (int k = 0; k < 1000; k++) {
      Pacer pacer = new Pacer(0.5 + random.nextDouble() * 20_000);
      Duration d = Duration.ofNanos(random.nextLong(100_000_000_000L));
      long n = pacer.count(d);
      assertThat(pacer.dueNanos(n - 1)).as("%s %s", pacer, d).isLessThan(d.toNanos());
      assertThat(pacer.dueNanos(n)).as("%s %s", pacer, d).isGreaterThanOrEqualTo(d.toNanos());
    }
  }

  @Test
  void aNonPositiveRateIsRefused() {
    assertThatThrownBy(() -> new Pacer(0)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new Pacer(-5)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new Pacer(Double.NaN)).hasMessageContaining("positive");
  }

  @Test
  void theMeasuredWindowIsThePaymentsDueAfterTheWarmUpAndBeforeItsEnd() {
    Schedule s = new Schedule(1000, 0.01, Duration.ofSeconds(10), Duration.ofSeconds(60));
    assertThat(s.firstMeasured()).isEqualTo(10_000);
    assertThat(s.endMeasured()).isEqualTo(70_000);
    // The cool-down keeps every input partition busy after the window.
    assertThat(s.paymentCount()).isEqualTo(72_000);
    assertThat(s.labelCount()).isEqualTo(720);
    assertThat(new Schedule(1000, 0, Duration.ZERO, Duration.ofSeconds(5)).labelCount()).isZero();
    assertThat(new Schedule(1000, 0, Duration.ZERO, Duration.ofSeconds(5)).firstMeasured())
        .isZero();
  }

  // ------------------------------------------------------------------ percentiles

  @Test
  void percentilesAreNearestRank() {
    long[] hundred = LongStream.rangeClosed(1, 100).toArray();
    assertThat(Summary.percentile(hundred, 50)).isEqualTo(50);
    assertThat(Summary.percentile(hundred, 95)).isEqualTo(95);
    assertThat(Summary.percentile(hundred, 99)).isEqualTo(99);
    assertThat(Summary.percentile(hundred, 100)).isEqualTo(100);
    long[] thousand = LongStream.rangeClosed(1, 1000).toArray();
    assertThat(Summary.percentile(thousand, 99)).isEqualTo(990);
    assertThat(Summary.percentile(new long[] {7}, 50)).isEqualTo(7);
    assertThat(Summary.percentile(new long[] {7}, 99)).isEqualTo(7);
    // Three values: the median is the second, p99 the largest.
    assertThat(Summary.percentile(new long[] {1, 2, 30}, 50)).isEqualTo(2);
    assertThat(Summary.percentile(new long[] {1, 2, 30}, 99)).isEqualTo(30);
    assertThatThrownBy(() -> Summary.percentile(new long[0], 50)).hasMessage("no values");
    assertThatThrownBy(() -> Summary.percentile(hundred, 0)).hasMessageContaining("(0, 100]");
  }

  @Test
  void summariesSortTheirInputAndReportMilliseconds() {
    List<Long> nanos = new ArrayList<>();
    for (long ms = 200; ms >= 1; ms--) {
      nanos.add(ms * 1_000_000L);
    }
    Summary s = Summary.of(nanos);
    assertThat(s.count()).isEqualTo(200);
    assertThat(s.p50()).isEqualTo(100.0);
    assertThat(s.p95()).isEqualTo(190.0);
    assertThat(s.p99()).isEqualTo(198.0);
    assertThat(s.max()).isEqualTo(200.0);
    assertThat(Summary.of(List.of()).p99()).isNaN();
    assertThat(Summary.of(List.of()).count()).isZero();
  }

  // ------------------------------------------------------------------ watermark hold

  @Test
  void theHoldIsTheLongestWaitForANewerRecordOverAllInputPartitions() {
    List<InputPartition> inputs =
        List.of(
            new InputPartition("payments", new long[] {100, 101, 103, 110}),
            new InputPartition("payments", new long[] {99, 104}),
            new InputPartition("labels", new long[] {50, 180}));
    // After 101: payments next at 103 (2) and 104 (3), labels at 180 (79).
    assertThat(Hold.of(101, inputs, 1050)).isEqualTo(new Hold(79, "labels"));
    // A record at exactly t does not move the watermark past t.
    assertThat(Hold.of(103, inputs, 1050)).isEqualTo(new Hold(77, "labels"));
    // Nothing newer: an idle partition advances by the end-offset check, at most the cap later.
    assertThat(Hold.of(200, inputs, 1050)).isEqualTo(new Hold(1050, "payments"));
    assertThat(Hold.of(170, inputs.subList(0, 2), 1050).topic()).isEqualTo("payments");
    // Labels stamped 100 ms after arrival: the label appended at 180 covers payments up to 280.
    List<InputPartition> shifted =
        List.of(
            new InputPartition("payments", new long[] {100, 101, 103, 110, 400}),
            new InputPartition("labels", new long[] {50, 180}, 100));
    assertThat(Hold.of(103, shifted, 1050)).isEqualTo(new Hold(7, "payments"));
    assertThat(Hold.of(300, shifted, 1050)).isEqualTo(new Hold(950, "labels"));
  }

  @Test
  void nextAfterFindsTheFirstStrictlyLaterTime() {
    long[] times = {5, 5, 7, 9};
    assertThat(Hold.nextAfter(times, 4)).isEqualTo(5);
    assertThat(Hold.nextAfter(times, 5)).isEqualTo(7);
    assertThat(Hold.nextAfter(times, 8)).isEqualTo(9);
    assertThat(Hold.nextAfter(times, 9)).isEqualTo(Long.MAX_VALUE / 2);
    assertThat(Hold.nextAfter(new long[0], 1)).isEqualTo(Long.MAX_VALUE / 2);
  }

  // ------------------------------------------------------------------ report

  private static Report report(long lost, double labelsLastShare) {
    Summary latency = new Summary(59_990, 23.14, 41.2, 60.26, 120.0);
    Summary small = new Summary(59_990, 0.4, 0.9, 1.2, 3.0);
    return new Report(
        "flink",
        1000,
        0.01,
        Duration.ofSeconds(60),
        60_000,
        60_000 - lost,
        lost,
        2,
        999.84,
        latency,
        small,
        new Summary(59_990, 20.0, 30.0, 55.0, 100.0),
        new Summary(59_990, 3.0, 5.0, 7.0, 9.0),
        new Summary(59_990, 15.0, 20.0, 40.0, 80.0),
        new Summary(59_990, 2.0, 4.0, 8.0, 11.0),
        small,
        small,
        new Summary(59_990, 12.0, 30.0, 48.0, 90.0),
        labelsLastShare,
        small);
  }

  @Test
  void theReportSaysWhatWasMeasuredAndWhereTheTimeGoes() {
    String text = report(0, 0.85).text();
    assertThat(text.lines().toList())
        .containsExactly(
            "latency on flink at 1000 payments/s: p50 23.1, p95 41.2, p99 60.3, max 120.0 ms;"
                + " 1000 scores/s sustained; 60,000 sent, 60,000 scored, 0 lost in 60 s",
            "    where the time goes (whole-ms stamps), p50 / p99 ms:"
                + " send -> payments topic 0.4 / 1.2,"
                + " -> scored 20.0 / 55.0, -> scores topic 0.4 / 1.2, -> received 0.4 / 1.2",
            "    inside the job, p50 / p99 ms: payments topic -> read 3.0 / 7.0,"
                + " read -> features 15.0 / 40.0, features -> scored 2.0 / 8.0",
            "    input watermark hold (every input partition has a later record), p50 / p99 ms:"
                + " 12.0 / 48.0; the labels topic was the last for 85% of payments (10 labels/s)",
            "    producer behind schedule p99 1.2 ms, max 3.0 ms; 2 duplicate scores");
  }

  @Test
  void lostScoresAreSaidLoudly() {
    String text = report(10, Double.NaN).text();
    assertThat(text)
        .contains("59,990 scored, 10 lost")
        .contains("LOST: 10 of 60,000 measured payments got no score")
        .contains("no labels topic");
  }

  @Test
  void theCsvLineHasTheDocumentedColumns() {
    assertThat(report(0, 0.5).csv())
        .isEqualTo("csv,flink,1000,60,60000,60000,0,999.8,23.1,41.2,60.3,120.0,7.0,40.0,8.0");
  }

  @Test
  void ratesPrintWithoutAUselessFraction() {
    assertThat(LatencyBench.number(5000)).isEqualTo("5000");
    assertThat(LatencyBench.number(0.5)).isEqualTo("0.5");
    assertThat(LatencyBench.ms(Double.NaN)).isEqualTo("n/a");
  }

  // ------------------------------------------------------------------ arguments

  private static String fail(String... args) {
    CommandLine cl = Parity.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("bench", "latency"));
    all.addAll(List.of(args));
    assertThat(cl.execute(all.toArray(String[]::new))).isEqualTo(2);
    return err.toString();
  }

  @Test
  void badArgumentsFailFastWithWhatToFix(@TempDir Path dir) throws Exception {
    Path spec = Files.writeString(dir.resolve("spec.yaml"), "name: x\n");
    String[] base = {"--spec", spec.toString(), "--model", dir.toString()};
    assertThat(fail(with(base, "--rate", "0"))).contains("--rate must be > 0");
    assertThat(fail(with(base, "--rate", "-3"))).contains("--rate must be > 0");
    assertThat(fail(with(base, "--duration", "PT2S"))).contains("--duration must be between");
    assertThat(fail(with(base, "--rate", "10", "--duration", "PT5S")))
        .contains("fewer than 100 measured payments");
    assertThat(fail(with(base, "--warmup", "-PT1S"))).contains("--warmup must be between");
    assertThat(fail(with(base, "--label-rate", "2"))).contains("--label-rate must be between");
    assertThat(fail(with(base, "--partitions", "0"))).contains("--partitions");
    assertThat(fail("--spec", dir.resolve("none.yaml").toString(), "--model", dir.toString()))
        .contains("--spec: no such file");
    assertThat(fail("--spec", spec.toString(), "--model", dir.resolve("none").toString()))
        .contains("--model: no such directory")
        .contains("parity train");
    assertThat(fail(with(base, "--runner", "flink", "--parallelism", "0")))
        .contains("--parallelism must be at least 1");
  }

  private static String[] with(String[] base, String... more) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
