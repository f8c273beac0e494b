package io.parity.kafka;

import java.nio.file.Path;

/**
 * The test broker started by {@link KafkaBrokerExtension}, as injected into test parameters.
 *
 * @param bootstrapServers what clients pass as {@code bootstrap.servers}, e.g. {@code
 *     127.0.0.1:41234}
 * @param pid the broker JVM's process id
 * @param dataDir its data directory, under the module's {@code target/}
 * @param logFile its log, worth reading when a test misbehaves
 */
public record KafkaBrokerInfo(String bootstrapServers, long pid, Path dataDir, Path logFile) {}
