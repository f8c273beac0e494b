package io.parity.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.op.FrameworkOps;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Trains one model in a TensorFlow graph: seeded initial weights, mini-batches in a seeded shuffled
 * order, Adam on the class-weighted sigmoid cross-entropy (a fraud row weighs {@code train
 * negatives / train positives}), evaluation on the {@code valid} split after every epoch, and early
 * stopping that keeps the weights of the epoch with the best validation average precision. Same
 * rows, options and seed: the same weights, bit for bit ({@link OrderedAdam}, one TF thread).
 */
final class Trainer {
  /** The validation metric that picks the best epoch. */
  static final String EARLY_STOPPING_METRIC = "averagePrecision";

  static final String TRAIN = "train";
  static final String VALID = "valid";

  private static final int EVAL_BATCH = 4096;

  private Trainer() {}

  /** Rows of one split as model input. */
  record Split(float[] x, float[] y, double[][] raw, boolean[] labels, long positives) {
    int size() {
      return labels.length;
    }

    static Split of(List<LabeledRow> rows, int n) {
      float[] x = new float[rows.size() * n];
      float[] y = new float[rows.size()];
      double[][] raw = new double[rows.size()][];
      boolean[] labels = new boolean[rows.size()];
      long positives = 0;
      for (int i = 0; i < rows.size(); i++) {
        LabeledRow r = rows.get(i);
        raw[i] = r.features();
        for (int j = 0; j < n; j++) {
          x[i * n + j] = (float) r.features()[j];
        }
        labels[i] = r.label();
        y[i] = r.label() ? 1f : 0f;
        if (r.label()) {
          positives++;
        }
      }
      return new Split(x, y, raw, labels, positives);
    }
  }

  static TrainedModel train(
      String setName,
      List<String> features,
      Normalization normalization,
      List<LabeledRow> rows,
      TrainOptions options) {
    int n = features.size();
    if (n == 0) {
      throw new IllegalArgumentException("training set " + setName + " has no feature columns");
    }
    if (normalization.size() != n) {
      throw new IllegalArgumentException(
          "normalization has " + normalization.size() + " features, the set " + n);
    }
    List<LabeledRow> trainRows = new ArrayList<>();
    List<LabeledRow> validRows = new ArrayList<>();
    for (LabeledRow r : rows) {
      if (r.features().length != n) {
        throw new IllegalArgumentException(
            "a row has " + r.features().length + " feature values, the set has " + n);
      }
      if (TRAIN.equals(r.split())) {
        trainRows.add(r);
      } else if (VALID.equals(r.split())) {
        validRows.add(r);
      }
    }
    Split train = Split.of(trainRows, n);
    Split valid = Split.of(validRows, n);
    requireBothClasses(setName, TRAIN, train);
    requireBothClasses(setName, VALID, valid);
    double positiveWeight = (double) (train.size() - train.positives()) / train.positives();
    List<Integer> hidden = options.layers();
    Network.Weights initial = Network.initial(n, hidden, options.seed());

    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x =
          tf.withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, n)));
      Placeholder<TFloat32> y =
          tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      List<Variable<TFloat32>> w = new ArrayList<>();
      List<Variable<TFloat32>> b = new ArrayList<>();
      for (int l = 0; l < initial.weights().size(); l++) {
        w.add(tf.withName("w" + l).variable(tf.constant(initial.weights().get(l))));
        b.add(tf.withName("b" + l).variable(tf.constant(initial.biases().get(l))));
      }
      Operand<TFloat32> logits = Network.logits(tf, x, normalization, w, b);
      Operand<TFloat32> probability = Network.probability(tf, logits, "score");
      Operand<TFloat32> crossEntropy =
          FrameworkOps.create(tf).nn.sigmoidCrossEntropyWithLogits(y, logits);
      // Class weighting: 1 for a legitimate row, positiveWeight for a fraud row.
      Operand<TFloat32> rowWeights =
          tf.math.add(tf.constant(1f), tf.math.mul(tf.constant((float) positiveWeight - 1f), y));
      Operand<TFloat32> loss =
          tf.withName("loss")
              .math
              .mean(tf.math.mul(rowWeights, crossEntropy), tf.constant(new int[] {0, 1}));
      Op minimize = new OrderedAdam(graph, (float) options.learningRate()).minimize(loss);

      // One thread: the same seed gives the same weights, run after run.
      ConfigProto config =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(1)
              .setInterOpParallelismThreads(1)
              .build();
      try (Session session = new Session(graph, config)) {
        Random shuffle = new Random(options.seed() * 31 + 7);
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        List<EpochReport> history = new ArrayList<>();
        Network.Weights best = null;
        double bestAp = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        int epoch = 0;
        while (epoch < options.maxEpochs() && sinceBest < options.patience()) {
          epoch++;
          for (int i = order.length - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
          }
          double lossSum = 0;
          for (int start = 0; start < order.length; start += options.batchSize()) {
            int size = Math.min(options.batchSize(), order.length - start);
            float[] xb = new float[size * n];
            float[] yb = new float[size];
            for (int i = 0; i < size; i++) {
              int row = order[start + i];
              System.arraycopy(train.x(), row * n, xb, i * n, n);
              yb[i] = train.y()[row];
            }
            try (TFloat32 xt =
                    TFloat32.tensorOf(Shape.of(size, n), DataBuffers.of(xb, true, false));
                TFloat32 yt =
                    TFloat32.tensorOf(Shape.of(size, 1), DataBuffers.of(yb, true, false));
                Result r =
                    session
                        .runner()
                        .feed(x, xt)
                        .feed(y, yt)
                        .addTarget(minimize)
                        .fetch(loss)
                        .run()) {
              lossSum += ((TFloat32) r.get(0)).getFloat() * (double) size;
            }
          }
          double trainLoss = lossSum / order.length;
          float[] scores = score(session, x, probability, valid.x(), n);
          double[] s = new double[scores.length];
          for (int i = 0; i < s.length; i++) {
            if (!Float.isFinite(scores[i])) {
              throw new IllegalStateException(
                  "training diverged at epoch "
                      + epoch
                      + " (non-finite validation scores): lower the learning rate (now "
                      + options.learningRate()
                      + ")");
            }
            s[i] = scores[i];
          }
          double auc = Metrics.rocAuc(s, valid.labels());
          double ap = Metrics.averagePrecision(s, valid.labels());
          boolean improved = ap > bestAp;
          if (improved) {
            bestAp = ap;
            bestEpoch = epoch;
            sinceBest = 0;
            best = fetch(session, w, b, initial);
          } else {
            sinceBest++;
          }
          EpochReport report =
              new EpochReport(epoch, trainLoss, logLoss(s, valid.labels()), auc, ap, improved);
          history.add(report);
          options.progress().accept(report.line(options.maxEpochs()));
        }
        if (sinceBest >= options.patience()) {
          options
              .progress()
              .accept(
                  "early stop after epoch "
                      + epoch
                      + ": no better validation AP for "
                      + options.patience()
                      + " epochs; keeping epoch "
                      + bestEpoch);
        }
        return new TrainedModel(
            features,
            normalization,
            options,
            best,
            history,
            bestEpoch,
            epoch,
            positiveWeight,
            train.size(),
            train.positives(),
            valid.raw(),
            valid.labels());
      }
    }
  }

  private static void requireBothClasses(String setName, String split, Split rows) {
    if (rows.size() == 0) {
      throw new IllegalArgumentException(
          "the " + split + " split of training set " + setName + " has no rows");
    }
    if (rows.positives() == 0 || rows.positives() == rows.size()) {
      throw new IllegalArgumentException(
          "the "
              + split
              + " split of training set "
              + setName
              + " has "
              + rows.positives()
              + " fraud rows of "
              + rows.size()
              + ": training and early stopping need both classes in train and valid (widen the"
              + " split, or create the set with a later --as-of so more labels are known)");
    }
  }

  /** Scores flattened rows in batches of {@link #EVAL_BATCH}. */
  static float[] score(
      Session session, Operand<TFloat32> x, Operand<TFloat32> out, float[] xs, int n) {
    int rows = xs.length / n;
    float[] scores = new float[rows];
    for (int start = 0; start < rows; start += EVAL_BATCH) {
      int size = Math.min(EVAL_BATCH, rows - start);
      float[] chunk = new float[size * n];
      System.arraycopy(xs, start * n, chunk, 0, size * n);
      float[] part = new float[size];
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(size, n), DataBuffers.of(chunk, true, false));
          Result r = session.runner().feed(x, in).fetch(out).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(part, false, false));
      }
      System.arraycopy(part, 0, scores, start, size);
    }
    return scores;
  }

  /** Mean unweighted log loss, probabilities clipped to [1e-7, 1 - 1e-7]. */
  static double logLoss(double[] p, boolean[] labels) {
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
      sum -= labels[i] ? Math.log(q) : Math.log(1 - q);
    }
    return sum / p.length;
  }

  private static Network.Weights fetch(
      Session session,
      List<Variable<TFloat32>> w,
      List<Variable<TFloat32>> b,
      Network.Weights shapes) {
    Session.Runner runner = session.runner();
    w.forEach(runner::fetch);
    b.forEach(runner::fetch);
    List<float[][]> weights = new ArrayList<>();
    List<float[]> biases = new ArrayList<>();
    try (Result r = runner.run()) {
      for (int l = 0; l < w.size(); l++) {
        float[][] like = shapes.weights().get(l);
        int in = like.length;
        int out = like[0].length;
        float[] flat = new float[in * out];
        ((TFloat32) r.get(l)).copyTo(DataBuffers.of(flat, false, false));
        float[][] m = new float[in][out];
        for (int i = 0; i < in; i++) {
          System.arraycopy(flat, i * out, m[i], 0, out);
        }
        weights.add(m);
        float[] bias = new float[out];
        ((TFloat32) r.get(w.size() + l)).copyTo(DataBuffers.of(bias, false, false));
        biases.add(bias);
      }
    }
    return new Network.Weights(weights, biases);
  }
}
