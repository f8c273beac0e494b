package io.parity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.parity.features.SpecFile;
import io.parity.features.SpecFingerprint;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SpecCommandTest {

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

  private static Path copyExample(String resource, Path dir) throws Exception {
    Path file = dir.resolve(Path.of(resource).getFileName());
    try (InputStream in = SpecFile.class.getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void validateSaysOkWithTheFingerprint(@TempDir Path dir) throws Exception {
    Path file = copyExample("specs/fraud.yaml", dir);
    String fingerprint = SpecFingerprint.of(SpecFile.load(file));

    Run r = run("spec", "validate", file.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "OK: 37 features over entities [card, terminal], fingerprint " + fingerprint + "\n");
  }

  @Test
  void validatePrintsEveryProblemOnItsOwnLineAndExits2(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        name: bad
        entities:
          card: card_id
          terminal: merchant_id
        features:
          - {name: card_count_1h, type: aggregate, entity: card, function: count, window: PT1H}
          - {name: terminal_fraud_rate_7d, type: label_aggregate, entity: terminal, function: fraud_ratio, window: P7D}
          - {name: card_sum, type: aggregate, entity: card, function: sum, window: P1D, windw: P1D}
        """);

    Run r = run("spec", "validate", file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines())
        .containsExactly(
            file
                + ": line 7, features[1] (terminal_fraud_rate_7d): unknown function"
                + " 'fraud_ratio'; expected fraud_count, fraud_rate",
            file
                + ": line 8, features[2] (card_sum): unknown key 'windw'; allowed for aggregate:"
                + " name, type, entity, function, field, window, delay",
            file + ": line 8, features[2] (card_sum): sum needs field: amount");
  }

  @Test
  void aMissingFileIsAUserError(@TempDir Path dir) {
    Run r = run("spec", "validate", dir.resolve("none.yaml").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no such spec file");
  }

  @Test
  void showPrintsTheSpecAndAnAlignedTable(@TempDir Path dir) throws Exception {
    Path file = copyExample("specs/minimal.yaml", dir);

    Run r = run("spec", "show", file.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            name:        minimal
            fingerprint: sha256:969ec7232ed2ab73
            time zone:   UTC
            lateness:    allowed PT0S, max P1D
            entities:    card -> card_id
            features:    2

            NAME                TYPE       ENTITY  FUNCTION/KIND  FIELD   WINDOW  DELAY
            card_count_1h       aggregate  card    count          -       PT1H    PT0S
            card_amount_sum_1d  aggregate  card    sum            amount  P1D     PT0S
            """);
  }

  @Test
  void showCoversEveryKind(@TempDir Path dir) throws Exception {
    Path file = copyExample("specs/fraud.yaml", dir);

    Run r = run("spec", "show", file.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out().lines())
        .contains(
            "name:        fraud-v1",
            "entities:    card -> card_id, terminal -> merchant_id",
            "features:    37")
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "terminal_fraud_rate_28d +label_aggregate +terminal +fraud_rate +- +P28D"
                            + " +P7D"))
        .anySatisfy(l -> assertThat(l).matches("is_night +calendar +- +night \\[22, 6\\).*"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "merchant_category_index +categorical +- +8 values +merchant_category.*"));
  }

  @Test
  void showOfABadFileFailsLikeValidate(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "name: bad\n");

    Run r = run("spec", "show", file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines())
        .containsExactly(
            file
                + ": line 1, entities: missing; map each entity to an event field, e.g. card:"
                + " card_id",
            file + ": line 1, features: missing; a list of feature definitions");
  }

  @Test
  void specHasHelp() {
    assertThat(run("spec", "--help").exit()).isZero();
    assertThat(run("spec", "validate", "--help").exit()).isZero();
    assertThat(run("spec", "show", "--help").exit()).isZero();
  }
}
