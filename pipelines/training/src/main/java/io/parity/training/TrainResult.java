package io.parity.training;

import io.parity.scoring.ModelMetadata;
import java.nio.file.Path;
import java.util.List;

/**
 * A published model version.
 *
 * @param versionDir the version directory, e.g. {@code models/fraud/3}
 * @param metadata its {@code parity-model.json}
 * @param history one report per epoch run
 */
public record TrainResult(Path versionDir, ModelMetadata metadata, List<EpochReport> history) {}
