package io.parity.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  @TempDir Path dir;

  @Test
  void aMissingDirectoryHasNoVersions() {
    ModelStore store = ModelStore.at(dir.resolve("models/fraud"));
    assertThat(store.versions()).isEmpty();
    assertThat(store.latest()).isEmpty();
    assertThat(store.nextVersion()).isEqualTo(1);
    assertThat(store.name()).isEqualTo("fraud");
  }

  @Test
  void onlyNumberedDirectoriesWithMetadataAreComplete() throws Exception {
    ModelStore store = ModelStore.at(dir.resolve("fraud"));
    Files.createDirectories(store.versionDir(1));
    Files.writeString(store.versionDir(1).resolve(ModelMetadata.FILE_NAME), "{}");
    Files.createDirectories(store.versionDir(2)); // half written: no metadata
    Files.createDirectories(store.dir().resolve("10"));
    Files.writeString(store.dir().resolve("10").resolve(ModelMetadata.FILE_NAME), "{}");
    Files.createDirectories(store.dir().resolve("007")); // not a version name
    Files.createDirectories(store.dir().resolve(".staging-x"));
    Files.writeString(store.dir().resolve("11"), "a file, not a directory");

    assertThat(store.versions()).containsExactly(1, 10);
    assertThat(store.latest()).hasValue(10);
    assertThat(store.nextVersion()).as("never reuses a number").isEqualTo(11);
  }

  @Test
  void publishRenamesTheStagedVersionIntoPlaceOnce() throws Exception {
    ModelStore store = ModelStore.at(dir.resolve("fraud"));
    Path staged = store.newStagingDir();
    assertThatThrownBy(() -> store.publish(staged, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("write the metadata before publishing");
    Files.writeString(staged.resolve(ModelMetadata.FILE_NAME), "{}");
    Files.writeString(staged.resolve("saved_model.pb"), "x");
    assertThat(store.versions()).isEmpty();

    Path published = store.publish(staged, 1);
    assertThat(published).isEqualTo(store.versionDir(1));
    assertThat(staged).doesNotExist();
    assertThat(published.resolve("saved_model.pb")).exists();
    assertThat(store.versions()).containsExactly(1);

    Path again = store.newStagingDir();
    Files.writeString(again.resolve(ModelMetadata.FILE_NAME), "{}");
    assertThatThrownBy(() -> store.publish(again, 1))
        .isInstanceOf(FileAlreadyExistsException.class);
    ModelStore.deleteRecursively(again);
    assertThat(again).doesNotExist();
    try (var children = Files.list(store.dir())) {
      assertThat(children.map(p -> p.getFileName().toString()).toList()).isEqualTo(List.of("1"));
    }
  }
}
