package io.parity.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {
  private static final double EPS = 1e-12;

  private static boolean[] labels(int... ys) {
    boolean[] b = new boolean[ys.length];
    for (int i = 0; i < ys.length; i++) {
      b[i] = ys[i] == 1;
    }
    return b;
  }

  @Test
  void scikitLearnsDocumentationExample() {
    // sklearn: roc_auc_score and average_precision_score of y=[0,0,1,1], s=[.1,.4,.35,.8]
    double[] s = {0.1, 0.4, 0.35, 0.8};
    boolean[] y = labels(0, 0, 1, 1);
    assertThat(Metrics.rocAuc(s, y)).isCloseTo(0.75, within(EPS));
    // thresholds .8: P=1 R=.5; .4: P=.5 R=.5; .35: P=2/3 R=1; .1: P=.5 R=1
    assertThat(Metrics.averagePrecision(s, y)).isCloseTo(0.5 * 1 + 0.5 * 2 / 3.0, within(EPS));
  }

  @Test
  void tiesShareRanksAndThresholds() {
    double[] s = {0.9, 0.7, 0.7, 0.2};
    boolean[] y = labels(1, 0, 1, 0);
    // pairs (pos, neg): (.9,.7) 1, (.9,.2) 1, (.7,.7) 1/2, (.7,.2) 1
    assertThat(Metrics.rocAuc(s, y)).isCloseTo(3.5 / 4, within(EPS));
    // thresholds .9: P=1 R=.5; .7: P=2/3 R=1; .2: R stays 1
    assertThat(Metrics.averagePrecision(s, y)).isCloseTo(0.5 + 0.5 * 2 / 3.0, within(EPS));

    double[] flat = {0.5, 0.5, 0.5, 0.5};
    boolean[] half = labels(1, 0, 1, 0);
    assertThat(Metrics.rocAuc(flat, half)).isCloseTo(0.5, within(EPS));
    assertThat(Metrics.averagePrecision(flat, half)).isCloseTo(0.5, within(EPS));
  }

  @Test
  void perfectAndInvertedRankings() {
    double[] s = {0.1, 0.2, 0.3, 0.4, 0.5};
    assertThat(Metrics.rocAuc(s, labels(0, 0, 0, 1, 1))).isCloseTo(1.0, within(EPS));
    assertThat(Metrics.averagePrecision(s, labels(0, 0, 0, 1, 1))).isCloseTo(1.0, within(EPS));
    assertThat(Metrics.rocAuc(s, labels(1, 1, 0, 0, 0))).isCloseTo(0.0, within(EPS));
    // inverted: positives at ranks 4 and 5 from the top: (1/4 + 2/5) / 2
    assertThat(Metrics.averagePrecision(s, labels(1, 1, 0, 0, 0)))
        .isCloseTo((0.25 + 0.4) / 2, within(EPS));
  }

  @Test
  void oneClassOnlyIsUndefined() {
    double[] s = {0.1, 0.2};
    assertThat(Metrics.rocAuc(s, labels(0, 0))).isNaN();
    assertThat(Metrics.rocAuc(s, labels(1, 1))).isNaN();
    assertThat(Metrics.averagePrecision(s, labels(0, 0))).isNaN();
    assertThat(Metrics.averagePrecision(s, labels(1, 1))).isCloseTo(1.0, within(EPS));
  }

  @Test
  void precisionAtKSharesATieAtTheCutOff() {
    double[] s = {0.9, 0.7, 0.7, 0.7, 0.2};
    boolean[] y = labels(1, 1, 0, 0, 1);
    assertThat(Metrics.precisionAtK(s, y, 1)).isCloseTo(1.0, within(EPS));
    // top 2: the .9 fraud plus one of three tied rows, one of which is fraud
    assertThat(Metrics.precisionAtK(s, y, 2)).isCloseTo((1 + 1 / 3.0) / 2, within(EPS));
    assertThat(Metrics.precisionAtK(s, y, 4)).isCloseTo(2 / 4.0, within(EPS));
    // fewer rows than k: precision of all rows
    assertThat(Metrics.precisionAtK(s, y, 100)).isCloseTo(3 / 5.0, within(EPS));
    assertThatThrownBy(() -> Metrics.precisionAtK(s, y, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rowOrderDoesNotMatter() {
    double[] s = {0.3, 0.8, 0.3, 0.1, 0.8, 0.5};
    boolean[] y = labels(1, 0, 0, 0, 1, 1);
    double[] s2 = {0.8, 0.1, 0.5, 0.3, 0.3, 0.8};
    boolean[] y2 = labels(1, 0, 1, 0, 1, 0);
    assertThat(Metrics.rocAuc(s2, y2)).isCloseTo(Metrics.rocAuc(s, y), within(EPS));
    assertThat(Metrics.averagePrecision(s2, y2))
        .isCloseTo(Metrics.averagePrecision(s, y), within(EPS));
    assertThat(Metrics.precisionAtK(s2, y2, 3))
        .isCloseTo(Metrics.precisionAtK(s, y, 3), within(EPS));
    // by hand: positives .8, .5, .3 vs negatives .8, .3, .1:
    // .8: 0.5 + 1 + 1; .5: 0 + 1 + 1; .3: 0 + 0.5 + 1  => 6 / 9
    assertThat(Metrics.rocAuc(s, y)).isCloseTo(6 / 9.0, within(EPS));
    // thresholds .8: 1/2 P, R 1/3; .5: 2/3, R 2/3; .3: 3/5, R 1
    assertThat(Metrics.averagePrecision(s, y))
        .isCloseTo((0.5 + 2 / 3.0 + 3 / 5.0) / 3, within(EPS));
    // top 3: .8 .8 (1 fraud) + .5 (fraud) => 2/3
    assertThat(Metrics.precisionAtK(s, y, 3)).isCloseTo(2 / 3.0, within(EPS));
  }
}
