package io.parity.coders;

import io.parity.events.LabelEvent;
import io.parity.events.PaymentEvent;
import io.parity.ingest.DeadLetter;
import io.parity.ingest.Ingested;
import io.parity.ingest.RawRecord;
import java.util.List;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviderRegistrar;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Registers {@link ParityCoders} with every Beam pipeline (found through ServiceLoader). */
public final class ParityCoderProviderRegistrar implements CoderProviderRegistrar {

  @Override
  public List<CoderProvider> getCoderProviders() {
    return List.of(
        CoderProviders.forCoder(
            TypeDescriptor.of(PaymentEvent.class), ParityCoders.PaymentEventCoder.of()),
        CoderProviders.forCoder(
            TypeDescriptor.of(LabelEvent.class), ParityCoders.LabelEventCoder.of()),
        CoderProviders.forCoder(
            TypeDescriptor.of(RawRecord.class), ParityCoders.RawRecordCoder.of()),
        CoderProviders.forCoder(
            TypeDescriptor.of(DeadLetter.class), ParityCoders.DeadLetterCoder.of()),
        CoderProviders.fromStaticMethods(Ingested.class, ParityCoders.IngestedCoder.class));
  }
}
