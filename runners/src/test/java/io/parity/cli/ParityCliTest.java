package io.parity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.ingest.DeadLetterJson;
import io.parity.testdata.BadRecords;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(180)
class ParityCliTest {

  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Parity.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, err.toString());
  }

  @Test
  void everyCommandHasHelp() {
    for (String cmd : List.of("kafka", "generate", "ingest", "demo")) {
      assertThat(run(cmd, "--help").exit()).as(cmd).isZero();
    }
    assertThat(run("kafka", "start", "--help").exit()).isZero();
  }

  @Test
  void generatedCsvFilesWithBadLinesAreIngestedAndEveryLineIsAccountedFor(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    assertThat(
            run(
                    "generate",
                    "--out",
                    data.toString(),
                    "--format",
                    "csv",
                    "--days",
                    "1",
                    "--cards",
                    "100",
                    "--merchants",
                    "40")
                .exit())
        .isZero();
    Path payments = data.resolve("payments.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(payments));
    int valid = lines.size() - 1;
    lines.add("bad-1,not a time,card-1,term-1,1.00,EUR,,,,pos");
    lines.add("bad-2,2026-01-05T10:00:00.000Z,card-1,term-1,-1.00,EUR,,,,pos");
    lines.add("bad-3,2026-01-05T10:00:00.000Z,card-1");
    Files.write(payments, lines);
    Path mapping = dir.resolve("payments-csv.yaml");
    try (var in = getClass().getResourceAsStream("/mappings/payments-csv.yaml")) {
      Files.copy(in, mapping);
    }
    Path out = dir.resolve("out");

    assertThat(
            run(
                    "ingest",
                    "--input",
                    payments.toString(),
                    "--mapping",
                    mapping.toString(),
                    "--out",
                    out.toString(),
                    "--runner",
                    "direct")
                .exit())
        .isZero();

    long perDay =
        Files.readAllLines(out.resolve("payments-per-day-00000-of-00001.csv")).stream()
            .mapToLong(l -> Long.parseLong(l.split(",")[1]))
            .sum();
    assertThat(perDay).isEqualTo(valid);
    var dead =
        Files.readAllLines(out.resolve("dead-letters-00000-of-00001.jsonl")).stream()
            .map(DeadLetterJson::fromJson)
            .toList();
    assertThat(dead).hasSize(3);
    assertThat(dead)
        .extracting(d -> d.offset())
        .containsExactlyInAnyOrder((long) valid + 2, (long) valid + 3, (long) valid + 4);
    assertThat(dead).allSatisfy(d -> assertThat(d.source()).endsWith("payments.csv"));
  }

  @Test
  void badArgumentsFailFastWithAMessageThatSaysWhatToFix(@TempDir Path dir) {
    Run r =
        run(
            "ingest",
            "--topic",
            "t",
            "--mapping",
            dir.resolve("none.yaml").toString(),
            "--out",
            dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--mapping: no such file");

    r = run("demo", "--runner", "flink", "--flinkMaster", "nowhere");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--flinkMaster must be [local], [auto] or host:port");

    r = run("ingest", "--runner", "spark", "--topic", "t", "--mapping", "m", "--out", "o");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--runner");

    r = run("generate", "--out", dir.toString(), "--format", "xml");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--format must be jsonl or csv");
  }

  @Test
  void kafkaStatusOfAnEmptyDataDirSaysNotRunning(@TempDir Path dir) {
    assertThat(run("kafka", "status", "--data-dir", dir.toString(), "--port", "19092").exit())
        .isEqualTo(3);
  }

  @Test
  void badRecordsCoverEveryKind() {
    assertThat(BadRecords.first(14)).hasSize(14);
    assertThat(BadRecords.first(14).stream().map(BadRecords.BadRecord::payload).distinct())
        .hasSize(14);
  }
}
