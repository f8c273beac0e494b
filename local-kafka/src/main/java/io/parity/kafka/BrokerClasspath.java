package io.parity.kafka;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The broker JVM's classpath, written into this module's jar at build time by Maven. */
final class BrokerClasspath {
  /** Written by maven-dependency-plugin's build-classpath (see this module's pom.xml). */
  static final String RESOURCE = "broker.classpath";

  private static final String REBUILD =
      "build the local-kafka module on this machine (mvn -pl local-kafka install)";

  private BrokerClasspath() {}

  /** The classpath, after checking that every jar on it exists. */
  static String load() {
    String classpath;
    try (InputStream in = BrokerClasspath.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new KafkaBrokerException(
            "No resource io/parity/kafka/" + RESOURCE + " on the classpath: " + REBUILD);
      }
      classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read resource io/parity/kafka/" + RESOURCE, e);
    }
    List<String> entries = Arrays.asList(classpath.split(File.pathSeparator));
    List<String> missing = entries.stream().filter(e -> !Files.exists(Path.of(e))).toList();
    if (classpath.isEmpty() || !missing.isEmpty()) {
      throw new KafkaBrokerException(
          missing.size()
              + " of the "
              + entries.size()
              + " broker jars listed at build time are missing (first: "
              + (missing.isEmpty() ? "<empty classpath>" : missing.get(0))
              + "): "
              + REBUILD);
    }
    return classpath;
  }
}
