package io.parity.metrics;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads a finished job's counters of one namespace, summed over steps, on any runner. */
public final class JobCounters {
  private JobCounters() {}

  /**
   * Counter name to value. Uses attempted values: the Flink runner reports no committed metrics,
   * and a finished batch job's attempted values are final.
   */
  public static Map<String, Long> of(PipelineResult result, String namespace) {
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(namespace))
                    .build());
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> c : q.getCounters()) {
      counters.merge(c.getName().getName(), c.getAttempted(), Long::sum);
    }
    return counters;
  }
}
