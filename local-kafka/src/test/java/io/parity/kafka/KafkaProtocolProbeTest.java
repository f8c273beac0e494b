package io.parity.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class KafkaProtocolProbeTest {

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aClosedPortDoesNotServe() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }

    assertThat(KafkaProtocolProbe.ask("127.0.0.1", port, Duration.ofSeconds(1)).serving())
        .isFalse();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aListenerThatIsNotKafkaDoesNotServe() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Thread http =
          new Thread(
              () -> {
                try (Socket client = server.accept();
                    OutputStream out = client.getOutputStream()) {
                  // Read the request first: closing before it arrives would break the pipe instead.
                  client.getInputStream().read(new byte[64]);
                  out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      http.start();

      KafkaProtocolProbe.Answer answer =
          KafkaProtocolProbe.ask("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(2));

      assertThat(answer.serving()).isFalse();
      assertThat(answer.detail()).contains("not a Kafka response");
      http.join();
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aListenerThatNeverAnswersTimesOut() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      // Accepted by the kernel backlog, never read: like a broker before request processing.
      KafkaProtocolProbe.Answer answer =
          KafkaProtocolProbe.ask("127.0.0.1", server.getLocalPort(), Duration.ofMillis(300));

      assertThat(answer.serving()).isFalse();
      assertThat(answer.detail()).contains("SocketTimeoutException");
    }
  }
}
