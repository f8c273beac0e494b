package io.parity.scoring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model the streaming job scores with: the latest complete version of a model directory,
 * checked against the running feature spec (same spec fingerprint, every model feature produced by
 * the spec), and hot-reloaded: at most every poll interval a newer complete version is loaded,
 * checked and swapped in atomically. A version that fails its checks is refused (logged at WARN,
 * counted, never retried) and the current version keeps serving. A replaced version is closed only
 * after its last in-flight batch: scorers are reference-counted.
 *
 * <p>Many parallel DoFn instances in one JVM should share one loaded bundle through {@link
 * #shared}.
 */
public final class ServingModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingModel.class);

  private static final Map<SharedKey, ServingModel> SHARED = new HashMap<>();

  /**
   * One scored batch: one score per row, all from the same model version.
   *
   * @param scores fraud probabilities, in row order
   * @param model the metadata of the version that scored the whole batch
   */
  public record Scores(float[] scores, ModelMetadata model) {}

  private record SharedKey(Path dir, String fingerprint) {}

  /** A loaded version with its spec-to-model column map and a reference count. */
  private static final class Loaded {
    final Scorer scorer;
    final int[] modelToSpec;
    // One reference held by the ServingModel while current, one per in-flight batch.
    final AtomicInteger refs = new AtomicInteger(1);

    Loaded(Scorer scorer, int[] modelToSpec) {
      this.scorer = scorer;
      this.modelToSpec = modelToSpec;
    }

    boolean retain() {
      while (true) {
        int r = refs.get();
        if (r == 0) {
          return false;
        }
        if (refs.compareAndSet(r, r + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (refs.decrementAndGet() == 0) {
        scorer.close();
      }
    }
  }

  private final ModelStore store;
  private final String fingerprint;
  private final List<String> specFeatures;
  private final long pollNanos;
  private final LongSupplier clock;
  private final AtomicReference<Loaded> current = new AtomicReference<>();
  private final ReentrantLock reloadLock = new ReentrantLock();
  private final Map<Integer, String> refusedVersions =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private final AtomicInteger refused = new AtomicInteger();
  private volatile long lastCheck;
  private SharedKey sharedKey; // guarded by SHARED
  private int sharedUsers; // guarded by SHARED

  private ServingModel(
      ModelStore store,
      String fingerprint,
      List<String> specFeatures,
      Duration pollInterval,
      LongSupplier clock) {
    this.store = store;
    this.fingerprint = fingerprint;
    this.specFeatures = List.copyOf(specFeatures);
    this.pollNanos = pollInterval.toNanos();
    this.clock = clock;
  }

  /**
   * Opens the latest complete version of {@code modelDir} for a job running the feature spec with
   * fingerprint {@code runningSpecFingerprint}, whose rows hold {@code specFeatureNames} in order.
   *
   * @param pollInterval how often {@link #score} looks for a newer version (zero: every call)
   * @throws IncompatibleModelException when there is no complete version, or the model was trained
   *     on another spec or uses features the spec does not produce
   * @throws InvalidModelException when the latest version cannot be loaded or fails its smoke
   *     inference
   */
  public static ServingModel open(
      Path modelDir,
      String runningSpecFingerprint,
      List<String> specFeatureNames,
      Duration pollInterval) {
    return open(modelDir, runningSpecFingerprint, specFeatureNames, pollInterval, System::nanoTime);
  }

  static ServingModel open(
      Path modelDir,
      String runningSpecFingerprint,
      List<String> specFeatureNames,
      Duration pollInterval,
      LongSupplier clock) {
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(runningSpecFingerprint, "runningSpecFingerprint");
    Objects.requireNonNull(specFeatureNames, "specFeatureNames");
    if (pollInterval == null || pollInterval.isNegative()) {
      throw new IllegalArgumentException("the poll interval must be zero or positive");
    }
    ModelStore store = ModelStore.at(modelDir);
    ServingModel model =
        new ServingModel(store, runningSpecFingerprint, specFeatureNames, pollInterval, clock);
    OptionalInt latest = store.latest();
    if (latest.isEmpty()) {
      throw new IncompatibleModelException(
          "no complete model version in "
              + store.dir()
              + " (a version is a numbered directory with "
              + ModelMetadata.FILE_NAME
              + "): train one with parity train --training-set NAME-vN --out "
              + store.dir());
    }
    Scorer scorer = Scorer.load(store.versionDir(latest.getAsInt()));
    try {
      String problem =
          scorer.metadata().version() != latest.getAsInt()
              ? "model directory "
                  + scorer.directory()
                  + ": its "
                  + ModelMetadata.FILE_NAME
                  + " says version "
                  + scorer.metadata().version()
              : model.incompatibility(scorer.metadata());
      if (problem != null) {
        throw new IncompatibleModelException(problem);
      }
      model.current.set(new Loaded(scorer, model.columnMap(scorer.metadata())));
    } catch (RuntimeException e) {
      scorer.close();
      throw e;
    }
    model.lastCheck = clock.getAsLong();
    LOG.info(
        "serving model {} version {} from {} (spec {})",
        scorer.metadata().name(),
        scorer.metadata().version(),
        scorer.directory(),
        runningSpecFingerprint);
    return model;
  }

  /**
   * The process-wide instance for {@code (absolute modelDir, runningSpecFingerprint)}, opened on
   * first use; every caller should {@link #close} it once when done (the last close releases it).
   * The first caller's poll interval applies.
   */
  public static ServingModel shared(
      Path modelDir,
      String runningSpecFingerprint,
      List<String> specFeatureNames,
      Duration pollInterval) {
    SharedKey key = new SharedKey(modelDir.toAbsolutePath().normalize(), runningSpecFingerprint);
    synchronized (SHARED) {
      ServingModel model = SHARED.get(key);
      if (model == null) {
        model = open(modelDir, runningSpecFingerprint, specFeatureNames, pollInterval);
        model.sharedKey = key;
        SHARED.put(key, model);
      } else if (!model.specFeatures.equals(specFeatureNames)) {
        throw new IllegalArgumentException(
            "spec "
                + runningSpecFingerprint
                + " is opened with features "
                + model.specFeatures
                + " and now with "
                + specFeatureNames
                + ": one fingerprint has one feature list");
      }
      model.sharedUsers++;
      return model;
    }
  }

  /** Why {@code m} cannot score this spec's rows, or null when it can. */
  private String incompatibility(ModelMetadata m) {
    String which = "model " + m.name() + " version " + m.version();
    if (!fingerprint.equals(m.specFingerprint())) {
      return which
          + " was trained on spec fingerprint "
          + m.specFingerprint()
          + " (training set "
          + m.trainingSet()
          + ") but the running spec has fingerprint "
          + fingerprint
          + ": retrain on a training set of this spec or run the spec the model was trained on";
    }
    List<String> missing = new ArrayList<>();
    for (String f : m.features()) {
      if (!specFeatures.contains(f)) {
        missing.add(f);
      }
    }
    if (!missing.isEmpty()) {
      return which
          + " needs features "
          + missing
          + " that the running spec (fingerprint "
          + fingerprint
          + ") does not produce (it produces "
          + specFeatures
          + "): retrain on a training set of this spec or run the spec the model was trained on";
    }
    return null;
  }

  private int[] columnMap(ModelMetadata m) {
    int[] map = new int[m.features().size()];
    for (int j = 0; j < map.length; j++) {
      map[j] = specFeatures.indexOf(m.features().get(j));
    }
    return map;
  }

  /**
   * Scores rows holding the spec's features in spec order (NaN = missing) with the current version,
   * after looking for a newer one if the poll interval has passed.
   *
   * @throws IllegalArgumentException for a row whose width is not the spec's feature count
   */
  public Scores score(double[][] rowsInSpecOrder) {
    reloadIfDue();
    Loaded loaded = acquire();
    try {
      int[] map = loaded.modelToSpec;
      double[][] rows = new double[rowsInSpecOrder.length][];
      for (int i = 0; i < rows.length; i++) {
        double[] in = rowsInSpecOrder[i];
        if (in == null || in.length != specFeatures.size()) {
          throw new IllegalArgumentException(
              "row "
                  + i
                  + " has "
                  + (in == null ? 0 : in.length)
                  + " values; the spec has "
                  + specFeatures.size()
                  + " features "
                  + specFeatures);
        }
        double[] out = new double[map.length];
        for (int j = 0; j < map.length; j++) {
          out[j] = in[map[j]];
        }
        rows[i] = out;
      }
      return new Scores(loaded.scorer.score(rows), loaded.scorer.metadata());
    } finally {
      loaded.release();
    }
  }

  private Loaded acquire() {
    while (true) {
      Loaded loaded = current.get();
      if (loaded == null) {
        throw new IllegalStateException("the serving model of " + store.dir() + " is closed");
      }
      if (loaded.retain()) {
        return loaded;
      }
      // Lost a race with a swap that released the last reference: read the new current one.
    }
  }

  /**
   * Looks for a newer complete version if the poll interval has passed since the last look; one
   * caller looks while the others keep scoring.
   *
   * @return whether a newer version was swapped in
   */
  public boolean reloadIfDue() {
    if (clock.getAsLong() - lastCheck < pollNanos || !reloadLock.tryLock()) {
      return false;
    }
    try {
      long now = clock.getAsLong();
      if (now - lastCheck < pollNanos) {
        return false;
      }
      lastCheck = now;
      return reloadNow();
    } finally {
      reloadLock.unlock();
    }
  }

  /**
   * Looks for a newer complete version now: the newest one not refused before is loaded, checked
   * (fingerprint, features, smoke inference) and swapped in; a failing one is refused and the next
   * older candidate newer than the current version is tried.
   *
   * @return whether a newer version was swapped in
   */
  public boolean reloadNow() {
    reloadLock.lock();
    try {
      Loaded serving = current.get();
      if (serving == null) {
        return false;
      }
      int currentVersion = serving.scorer.metadata().version();
      List<Integer> versions;
      try {
        versions = store.versions();
      } catch (RuntimeException e) {
        LOG.warn("cannot list model versions in {}: {}", store.dir(), e.getMessage());
        return false;
      }
      for (int i = versions.size() - 1; i >= 0; i--) {
        int v = versions.get(i);
        if (v <= currentVersion) {
          break;
        }
        if (refusedVersions.containsKey(v)) {
          continue;
        }
        Loaded fresh = tryLoad(v);
        if (fresh != null) {
          if (!current.compareAndSet(serving, fresh)) {
            fresh.release(); // closed meanwhile: do not bring a model back
            return false;
          }
          Loaded old = serving;
          LOG.info(
              "model {}: now serving version {} (was {}) from {}",
              fresh.scorer.metadata().name(),
              v,
              currentVersion,
              fresh.scorer.directory());
          if (old != null) {
            old.release();
          }
          return true;
        }
      }
      return false;
    } finally {
      reloadLock.unlock();
    }
  }

  private Loaded tryLoad(int version) {
    Scorer scorer;
    try {
      scorer = Scorer.load(store.versionDir(version));
    } catch (RuntimeException e) {
      refuse(version, e.getMessage());
      return null;
    }
    String problem =
        scorer.metadata().version() != version
            ? "its " + ModelMetadata.FILE_NAME + " says version " + scorer.metadata().version()
            : incompatibility(scorer.metadata());
    if (problem != null) {
      scorer.close();
      refuse(version, problem);
      return null;
    }
    return new Loaded(scorer, columnMap(scorer.metadata()));
  }

  private void refuse(int version, String reason) {
    refusedVersions.put(version, reason);
    refused.incrementAndGet();
    Loaded serving = current.get();
    LOG.warn(
        "refused model version {} of {}; still serving version {}: {}",
        version,
        store.dir(),
        serving == null ? "none" : serving.scorer.metadata().version(),
        reason);
  }

  /** The metadata of the version serving now. */
  public ModelMetadata current() {
    Loaded loaded = current.get();
    if (loaded == null) {
      throw new IllegalStateException("the serving model of " + store.dir() + " is closed");
    }
    return loaded.scorer.metadata();
  }

  /** How many versions were refused since opening. */
  public int refused() {
    return refused.get();
  }

  /** The refused versions and why, in the order they were refused. */
  public Map<Integer, String> refusedVersions() {
    synchronized (refusedVersions) {
      return Map.copyOf(refusedVersions);
    }
  }

  /** The model directory. */
  public Path modelDir() {
    return store.dir();
  }

  /**
   * Releases this handle. An instance from {@link #open} closes at once; a {@link #shared} one when
   * its last user closes it. In-flight batches finish on their version first.
   */
  @Override
  public void close() {
    synchronized (SHARED) {
      if (sharedKey != null) {
        if (--sharedUsers > 0) {
          return;
        }
        SHARED.remove(sharedKey);
        sharedKey = null;
      }
    }
    Loaded old = current.getAndSet(null);
    if (old != null) {
      old.release();
    }
  }
}
