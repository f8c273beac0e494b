package io.parity.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model directory {@code models/NAME/} holding integer version subdirectories {@code 1/}, {@code
 * 2/}, ... (the TF-Serving layout). A version is complete once its {@code parity-model.json}
 * exists. Trainers build a version in a hidden staging directory beside the versions and publish it
 * with one atomic rename, so a watcher never sees half a model.
 */
public final class ModelStore {
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");
  private static final String STAGING_PREFIX = ".staging-";

  private final Path dir;

  private ModelStore(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The store in {@code dir} (which need not exist yet). */
  public static ModelStore at(Path dir) {
    return new ModelStore(dir);
  }

  /** The model directory (absolute). */
  public Path dir() {
    return dir;
  }

  /** The model's name: the directory's name. */
  public String name() {
    Path file = dir.getFileName();
    return file == null ? dir.toString() : file.toString();
  }

  /** The directory of a version (complete or not). */
  public Path versionDir(int version) {
    if (version <= 0) {
      throw new IllegalArgumentException("model version " + version + " is not positive");
    }
    return dir.resolve(Integer.toString(version));
  }

  /** Whether {@code version} exists and is complete (its metadata file exists). */
  public boolean isComplete(int version) {
    return Files.isRegularFile(versionDir(version).resolve(ModelMetadata.FILE_NAME));
  }

  /** The complete versions, ascending; empty when the directory does not exist. */
  public List<Integer> versions() {
    List<Integer> complete = new ArrayList<>();
    for (int v : numbered()) {
      if (isComplete(v)) {
        complete.add(v);
      }
    }
    return complete;
  }

  /** The highest complete version. */
  public OptionalInt latest() {
    List<Integer> all = versions();
    return all.isEmpty() ? OptionalInt.empty() : OptionalInt.of(all.get(all.size() - 1));
  }

  /**
   * The number a new version gets: one more than every numbered subdirectory, complete or not (a
   * number is never reused, even for a version whose publication failed half-way).
   */
  public int nextVersion() {
    List<Integer> all = numbered();
    return all.isEmpty() ? 1 : all.get(all.size() - 1) + 1;
  }

  /** Every subdirectory named by a version number, ascending. */
  private List<Integer> numbered() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Integer> versions = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      children
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> VERSION.matcher(n).matches())
          .map(Integer::parseInt)
          .forEach(versions::add);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list model directory " + dir, e);
    }
    versions.sort(Comparator.naturalOrder());
    return versions;
  }

  /**
   * Creates an empty hidden staging directory inside the model directory (same file system, so
   * {@link #publish} is one rename). Model servers ignore it: its name is not a number.
   */
  public Path newStagingDir() {
    try {
      Files.createDirectories(dir);
      return Files.createDirectory(dir.resolve(STAGING_PREFIX + UUID.randomUUID()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a staging directory in " + dir, e);
    }
  }

  /**
   * Publishes a fully written staging directory as {@code version} with one atomic rename.
   *
   * @return the version directory
   * @throws FileAlreadyExistsException when the version exists (another trainer published it
   *     first): stage again with {@link #nextVersion()}
   */
  public Path publish(Path staged, int version) throws IOException {
    Path target = versionDir(version);
    if (!Files.isRegularFile(staged.resolve(ModelMetadata.FILE_NAME))) {
      throw new IllegalStateException(
          staged + " has no " + ModelMetadata.FILE_NAME + ": write the metadata before publishing");
    }
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    try {
      // rename(2): atomic; fails on a non-empty target directory.
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (DirectoryNotEmptyException e) {
      throw new FileAlreadyExistsException(target.toString());
    }
    return target;
  }

  /** Deletes a staging directory and everything in it (after a failed training run). */
  public static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
