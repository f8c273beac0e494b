package io.parity.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The Kafka utility against the client's MockProducer: no broker, no waiting. */
class KafkaPaymentProducerTest {

  private final GeneratedDataset data =
      PaymentGenerator.create(
              PaymentGeneratorConfig.defaults().withCards(50).withMerchants(20).withDays(2))
          .generateInMemory();

  private final MockProducer<String, String> mock =
      new MockProducer<>(true, new StringSerializer(), new StringSerializer());

  @Test
  void eventsAreKeyedByCardAndStampedWithEventTime() throws Exception {
    long sent =
        KafkaPaymentProducer.using(() -> mock).sendEvents("payments", data.events().iterator());

    assertThat(sent).isEqualTo(data.events().size());
    List<ProducerRecord<String, String>> records = mock.history();
    assertThat(records).hasSameSizeAs(data.events());
    for (int i = 0; i < records.size(); i++) {
      PaymentEvent event = data.events().get(i);
      ProducerRecord<String, String> record = records.get(i);
      assertThat(record.topic()).isEqualTo("payments");
      assertThat(record.key()).isEqualTo(event.cardId());
      assertThat(record.timestamp()).isEqualTo(event.eventTimeMillis());
      assertThat(record.partition()).isNull();
      assertThat(JsonLinesCodec.parseEvent(record.value())).isEqualTo(event);
    }
    assertThat(mock.flushed()).isTrue();
    assertThat(mock.closed()).isTrue();
  }

  @Test
  void labelsAreKeyedByEventAndStampedWithLabelTime() throws Exception {
    long sent =
        KafkaPaymentProducer.using(() -> mock)
            .withLabelPartitioner(label -> label.fraud() ? 1 : 0)
            .sendLabels("labels", data.labels().iterator());

    assertThat(sent).isEqualTo(data.labels().size());
    List<ProducerRecord<String, String>> records = mock.history();
    for (int i = 0; i < records.size(); i++) {
      LabelEvent label = data.labels().get(i);
      ProducerRecord<String, String> record = records.get(i);
      assertThat(record.key()).isEqualTo(label.eventId());
      assertThat(record.timestamp()).isEqualTo(label.labelTimeMillis());
      assertThat(record.partition()).isEqualTo(label.fraud() ? 1 : 0);
      assertThat(JsonLinesCodec.parseLabel(record.value())).isEqualTo(label);
    }
  }

  @Test
  void aChosenPartitionIsUsed() throws Exception {
    KafkaPaymentProducer.using(() -> mock)
        .withEventPartitioner(e -> Math.floorMod(e.cardId().hashCode(), 3))
        .sendEvents("payments", data.events().iterator());
    assertThat(mock.history())
        .allSatisfy(r -> assertThat(r.partition()).isEqualTo(Math.floorMod(r.key().hashCode(), 3)));
  }

  @Test
  void aFailedSendFailsTheCallWithTheCause() {
    RecordTooLargeException cause = new RecordTooLargeException("too large");
    MockProducer<String, String> failing =
        new MockProducer<>(true, new StringSerializer(), new StringSerializer()) {
          private int count;

          @Override
          public synchronized Future<RecordMetadata> send(
              ProducerRecord<String, String> record, Callback callback) {
            if (++count == 3) {
              callback.onCompletion(null, cause);
              return CompletableFuture.failedFuture(cause);
            }
            return super.send(record, callback);
          }
        };

    assertThatThrownBy(
            () ->
                KafkaPaymentProducer.using(() -> failing)
                    .sendEvents("payments", data.events().iterator()))
        .isInstanceOf(KafkaProduceException.class)
        .hasMessageStartingWith("failed to send record 2 (key ")
        .hasMessageEndingWith("to topic payments")
        .hasCause(cause);
    assertThat(failing.closed()).isTrue();
    assertThat(failing.history()).hasSize(2);
  }

  @Test
  void aThrowingSendPropagatesAndStillCloses() {
    mock.sendException = new IllegalStateException("broken");
    assertThatThrownBy(
            () ->
                KafkaPaymentProducer.using(() -> mock)
                    .sendEvents("payments", data.events().iterator()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("broken");
    assertThat(mock.closed()).isTrue();
  }

  @Test
  void rateLimitingSpacesRecordsEvenly() throws Exception {
    long[] now = {1_000};
    List<Long> waits = new ArrayList<>();
    long sent =
        KafkaPaymentProducer.using(() -> mock)
            .withRate(100)
            .withClock(
                () -> now[0],
                deadline -> {
                  waits.add(deadline - 1_000);
                  now[0] = deadline;
                })
            .sendEvents("payments", data.events().subList(0, 5).iterator());

    assertThat(sent).isEqualTo(5);
    assertThat(waits).containsExactly(10_000_000L, 20_000_000L, 30_000_000L, 40_000_000L);
  }

  @Test
  void zeroRateNeverWaits() throws Exception {
    List<Long> waits = new ArrayList<>();
    KafkaPaymentProducer.using(() -> mock)
        .withRate(0)
        .withClock(() -> 0L, waits::add)
        .sendEvents("payments", data.events().iterator());
    assertThat(waits).isEmpty();
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThatThrownBy(() -> KafkaPaymentProducer.to(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bootstrapServers must not be blank");
    assertThatThrownBy(() -> KafkaPaymentProducer.using(() -> mock).withRate(Double.NaN))
        .hasMessage("recordsPerSecond must be a finite number, was NaN");
  }
}
