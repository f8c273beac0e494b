package io.parity.features;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The production replay ({@link FeatureReplay}) against the independent oracle ({@link
 * ReferenceFeatures}), bit for bit: first on the hand-written boundary scenarios, then on random
 * specs and inputs. A mismatch names the event, the feature and both values, and prints the whole
 * input so it can be re-computed by hand from the README.
 */
class EngineMatchesReferenceTest {

  static Stream<Arguments> boundaryScenarios() {
    return BoundaryScenarios.all().stream().map(in -> Arguments.of(Named.of(in.name(), in)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("boundaryScenarios")
  void engineMatchesReferenceOnBoundaryScenarios(ReplayInput in) {
    assertEngineMatchesReference(in);
  }

  @Provide
  Arbitrary<ReplayInput> mixed() {
    return RandomReplays.replays(RandomReplays.Profile.MIXED);
  }

  @Provide
  Arbitrary<ReplayInput> late() {
    return RandomReplays.replays(RandomReplays.Profile.LATE);
  }

  @Provide
  Arbitrary<ReplayInput> ties() {
    return RandomReplays.replays(RandomReplays.Profile.TIES);
  }

  @Provide
  Arbitrary<ReplayInput> labels() {
    return RandomReplays.replays(RandomReplays.Profile.LABELS);
  }

  @Property(tries = 200)
  void engineMatchesReferenceOnRandomReplays(@ForAll("mixed") ReplayInput in) {
    assertEngineMatchesReference(in);
  }

  @Property(tries = 200)
  void engineMatchesReferenceWithLatePaymentsAndTightState(@ForAll("late") ReplayInput in) {
    assertEngineMatchesReference(in);
  }

  @Property(tries = 200)
  void engineMatchesReferenceWithTiesEverywhere(@ForAll("ties") ReplayInput in) {
    assertEngineMatchesReference(in);
  }

  @Property(tries = 200)
  void engineMatchesReferenceOnFraudFeaturesWithManyLabels(@ForAll("labels") ReplayInput in) {
    assertEngineMatchesReference(in);
  }

  static void assertEngineMatchesReference(ReplayInput in) {
    List<FeatureRow> expected = ReferenceFeatures.compute(in.spec(), in.payments(), in.labels());
    List<FeatureRow> actual;
    try {
      actual = FeatureReplay.replay(in.spec(), in.payments(), in.labels());
    } catch (RuntimeException e) {
      // The spec and the events are valid (the spec validated itself; the oracle computed them),
      // so the engine refusing them is a disagreement too; show the input with it.
      throw new AssertionError(
          "engine threw "
              + e
              + " where the reference computed "
              + expected
              + System.lineSeparator()
              + "input: "
              + in,
          e);
    }
    List<String> names = in.spec().featureNames();
    List<String> problems = new ArrayList<>();
    List<String> expectedIds = expected.stream().map(FeatureRow::eventId).toList();
    List<String> actualIds = actual.stream().map(FeatureRow::eventId).toList();
    if (!expectedIds.equals(actualIds)) {
      problems.add("event ids: engine " + actualIds + ", reference " + expectedIds);
    } else {
      for (int r = 0; r < expected.size(); r++) {
        FeatureRow want = expected.get(r);
        FeatureRow got = actual.get(r);
        if (want.eventTimeMillis() != got.eventTimeMillis()) {
          problems.add(
              "event "
                  + want.eventId()
                  + ": event time engine "
                  + got.eventTimeMillis()
                  + ", reference "
                  + want.eventTimeMillis());
        }
        if (got.values().length != want.values().length) {
          problems.add(
              "event "
                  + want.eventId()
                  + ": engine has "
                  + got.values().length
                  + " values, reference "
                  + want.values().length);
          continue;
        }
        for (int i = 0; i < want.values().length; i++) {
          double w = want.values()[i];
          double g = got.values()[i];
          if (Double.doubleToRawLongBits(w) != Double.doubleToRawLongBits(g)) {
            problems.add(
                String.format(
                    "event %s, feature %s: engine %s (0x%016x), reference %s (0x%016x)",
                    want.eventId(),
                    names.get(i),
                    g,
                    Double.doubleToRawLongBits(g),
                    w,
                    Double.doubleToRawLongBits(w)));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(
          "engine and reference disagree on %d value(s):%n  %s%ninput: %s",
          problems.size(), String.join(System.lineSeparator() + "  ", problems), in);
    }
  }
}
