/** Trains TensorFlow Java models on versioned training sets and exports them as SavedModels. */
package io.parity.training;
