package io.parity.kafka;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks a listener, in the Kafka wire protocol, whether a Kafka broker behind it serves requests.
 *
 * <p>A TCP connect is not enough: a starting broker accepts connections before it handles requests,
 * and it handles requests before it is unfenced (until then metadata lists no broker and topic
 * creation fails). So this sends ApiVersions, then Metadata, and wants at least one live broker.
 * Hand-written so that main code needs no kafka-clients (whose version differs per classpath).
 */
final class KafkaProtocolProbe {
  private static final short API_VERSIONS = 18;
  private static final short METADATA = 3;
  // Metadata v1..v8 use the classic (non-flexible) encoding written below; v0 means "all topics"
  // for an empty list, v9+ need compact encoding.
  private static final short METADATA_MIN = 1;
  private static final short METADATA_MAX = 8;
  private static final byte[] CLIENT_ID = "parity-local-kafka".getBytes(StandardCharsets.UTF_8);
  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  /** The probe's verdict and, when not serving, why (for error messages). */
  record Answer(boolean serving, String detail) {}

  private KafkaProtocolProbe() {}

  static Answer ask(String host, int port, Duration timeout) {
    int millis = (int) Math.max(1, timeout.toMillis());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());

      // ApiVersions v0 is answered by every broker version, and says which Metadata versions exist.
      send(out, API_VERSIONS, (short) 0, 1, new byte[0]);
      ByteBuffer versions = receive(in, 1);
      short error = versions.getShort();
      if (error != 0) {
        return new Answer(false, "ApiVersions returned error code " + error);
      }
      int apiCount = versions.getInt();
      short metadataVersion = -1;
      for (int i = 0; i < apiCount; i++) {
        short key = versions.getShort();
        short min = versions.getShort();
        short max = versions.getShort();
        if (key == METADATA && min <= METADATA_MAX && max >= METADATA_MIN) {
          metadataVersion = (short) Math.min(max, METADATA_MAX);
        }
      }
      if (metadataVersion < 0) {
        return new Answer(false, "the broker supports no Metadata version in 1..8");
      }

      send(out, METADATA, metadataVersion, 2, metadataRequest(metadataVersion));
      ByteBuffer metadata = receive(in, 2);
      if (metadataVersion >= 3) {
        metadata.getInt(); // throttle_time_ms
      }
      int brokers = metadata.getInt();
      return brokers > 0
          ? new Answer(true, brokers + " live broker(s)")
          : new Answer(false, "metadata lists no live broker yet (broker still fenced)");
    } catch (IOException | BufferUnderflowException | IllegalStateException e) {
      // Refused, reset, timed out or not a Kafka answer: this listener does not serve Kafka (yet).
      return new Answer(false, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** No topics, no auto-creation, no authorized operations: just the broker list. */
  private static byte[] metadataRequest(short version) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream body = new DataOutputStream(bytes);
    body.writeInt(0); // topics: empty array (v1+: none, unlike null = all)
    if (version >= 4) {
      body.writeBoolean(false); // allow_auto_topic_creation
    }
    if (version >= 8) {
      body.writeBoolean(false); // include_cluster_authorized_operations
      body.writeBoolean(false); // include_topic_authorized_operations
    }
    body.flush();
    return bytes.toByteArray();
  }

  /** Request header v1: api key, api version, correlation id, client id; then the body. */
  private static void send(
      OutputStream out, short apiKey, short apiVersion, int correlationId, byte[] body)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream request = new DataOutputStream(bytes);
    request.writeShort(apiKey);
    request.writeShort(apiVersion);
    request.writeInt(correlationId);
    request.writeShort(CLIENT_ID.length);
    request.write(CLIENT_ID);
    request.write(body);
    request.flush();
    DataOutputStream framed = new DataOutputStream(out);
    framed.writeInt(bytes.size());
    bytes.writeTo(framed);
    framed.flush();
  }

  /** Reads one size-prefixed response and returns its body after the (v0) header. */
  private static ByteBuffer receive(DataInputStream in, int correlationId) throws IOException {
    int size = in.readInt();
    if (size < 4 || size > MAX_RESPONSE_BYTES) {
      throw new IllegalStateException("not a Kafka response (size " + size + ")");
    }
    byte[] response = readFully(in, size);
    ByteBuffer buffer = ByteBuffer.wrap(response);
    int received = buffer.getInt();
    if (received != correlationId) {
      throw new IllegalStateException(
          "not a Kafka response (correlation id " + received + ", expected " + correlationId + ")");
    }
    return buffer;
  }

  private static byte[] readFully(InputStream in, int size) throws IOException {
    byte[] bytes = new byte[size];
    new DataInputStream(in).readFully(bytes);
    return bytes;
  }
}
