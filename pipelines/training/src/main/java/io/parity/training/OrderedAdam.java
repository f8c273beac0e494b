package io.parity.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Adam (Kingma and Ba) on the tensorflow-framework {@link Optimizer} machinery, with the bias
 * correction powers {@code beta1^t}, {@code beta2^t} updated strictly after every variable's update
 * of the step.
 *
 * <p>Why not {@link org.tensorflow.framework.optimizers.Adam}: in tensorflow-framework 1.1.0 its
 * power updates are siblings of the {@code ApplyAdam} ops (no control dependency), so each step
 * reads the powers before or after they move depending on op scheduling. Two runs with the same
 * seed then train different weights (measured: bitwise different after one epoch, even with one
 * intra- and inter-op thread). Here the graph orders them as Python's Adam does.
 */
final class OrderedAdam extends Optimizer {
  private static final String FIRST_MOMENT = "m";
  private static final String SECOND_MOMENT = "v";

  private final float learningRate;
  private final float betaOne;
  private final float betaTwo;
  private final float epsilon;
  private Variable<TFloat32> betaOnePower;
  private Variable<TFloat32> betaTwoPower;
  private Operand<TFloat32> learningRateConst;
  private Operand<TFloat32> betaOneConst;
  private Operand<TFloat32> betaTwoConst;
  private Operand<TFloat32> epsilonConst;

  /** Adam with tensorflow-framework's defaults: beta1 0.9, beta2 0.999, epsilon 1e-8. */
  OrderedAdam(Graph graph, float learningRate) {
    super(graph, "Adam");
    this.learningRate = learningRate;
    this.betaOne = 0.9f;
    this.betaTwo = 0.999f;
    this.epsilon = 1e-8f;
  }

  @Override
  protected void createSlots(List<Output<? extends TType>> variables) {
    for (Output<? extends TType> v : variables) {
      createZeroSlot(v, FIRST_MOMENT);
      createZeroSlot(v, SECOND_MOMENT);
    }
    betaOnePower = tf.withName("beta1_power").variable(tf.constant(betaOne));
    betaTwoPower = tf.withName("beta2_power").variable(tf.constant(betaTwo));
  }

  @SuppressWarnings("unchecked")
  private <T extends TType> void createZeroSlot(Output<T> variable, String slot) {
    if (variable.type() != TFloat32.class) {
      throw new IllegalArgumentException("only float32 variables are trained: " + variable);
    }
    long[] dims = variable.shape().asArray();
    Operand<TFloat32> zeros = tf.fill(tf.constant(dims), tf.constant(0f));
    createSlot(variable, slot, (Operand<T>) zeros);
  }

  @Override
  protected Optional<Op> prepare(String scopeName) {
    learningRateConst = tf.constant(learningRate);
    betaOneConst = tf.constant(betaOne);
    betaTwoConst = tf.constant(betaTwo);
    epsilonConst = tf.constant(epsilon);
    return Optional.empty();
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T extends TType> Op applyDense(Ops ops, Output<T> gradient, Output<T> variable) {
    Variable<T> m = getSlot(variable, FIRST_MOMENT).orElseThrow();
    Variable<T> v = getSlot(variable, SECOND_MOMENT).orElseThrow();
    return ops.train.applyAdam(
        variable,
        m,
        v,
        (Operand<T>) betaOnePower,
        (Operand<T>) betaTwoPower,
        (Operand<T>) learningRateConst,
        (Operand<T>) betaOneConst,
        (Operand<T>) betaTwoConst,
        (Operand<T>) epsilonConst,
        gradient);
  }

  @Override
  protected Op finish(List<Op> updateOperations, String name) {
    // The powers move only after every ApplyAdam of this step has read them.
    Ops after = tf.withControlDependencies(updateOperations);
    List<Op> all = new ArrayList<>(updateOperations);
    all.add(after.assign(betaOnePower, after.math.mul(betaOnePower, betaOneConst)));
    all.add(after.assign(betaTwoPower, after.math.mul(betaTwoPower, betaTwoConst)));
    return super.finish(all, name);
  }

  @Override
  public String getOptimizerName() {
    return "Adam";
  }
}
