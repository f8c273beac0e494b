package io.parity.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TimeFormatTest {
  private static final long T = Instant.parse("2026-01-05T10:15:30.123Z").toEpochMilli();

  @Test
  void isoAcceptsInstantsOffsetsAndLocalTimesInTheDeclaredZone() {
    TimeFormat f = TimeFormat.iso8601(ZoneId.of("Europe/Paris"));
    assertThat(f.toEpochMillis("2026-01-05T10:15:30.123Z")).isEqualTo(T);
    assertThat(f.toEpochMillis("2026-01-05T11:15:30.123+01:00")).isEqualTo(T);
    assertThat(f.toEpochMillis("2026-01-05T11:15:30.123")).isEqualTo(T); // Paris is UTC+1 in Jan
  }

  @Test
  void epochSecondsAndMillisAcceptNumbersAndText() {
    assertThat(TimeFormat.epochSeconds().toEpochMillis(1767608130L)).isEqualTo(T - 123);
    assertThat(TimeFormat.epochSeconds().toEpochMillis("1767608130.123")).isEqualTo(T);
    assertThat(TimeFormat.epochMillis().toEpochMillis(T)).isEqualTo(T);
    assertThat(TimeFormat.epochMillis().toEpochMillis(String.valueOf(T))).isEqualTo(T);
  }

  @Test
  void unitMixUpsAreCaughtByTheRangeCheck() {
    assertThatThrownBy(() -> TimeFormat.epochSeconds().toEpochMillis(T))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("outside 1970..2199: check the time unit");
    assertThatThrownBy(() -> TimeFormat.epochMillis().toEpochMillis(-5))
        .hasMessageContaining("outside 1970..2199");
  }

  @Test
  void patternUsesItsZone() {
    TimeFormat f = TimeFormat.pattern("yyyy-MM-dd HH:mm:ss.SSS", ZoneId.of("America/New_York"));
    assertThat(f.toEpochMillis("2026-01-05 05:15:30.123")).isEqualTo(T);
    assertThatThrownBy(() -> f.toEpochMillis("05/01/2026"))
        .hasMessage("'05/01/2026' does not match the time pattern 'yyyy-MM-dd HH:mm:ss.SSS'");
  }

  @Test
  void invalidPatternFailsFast() {
    assertThatThrownBy(() -> TimeFormat.pattern("yyyy-MM-dd bbb", ZoneId.of("UTC")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid time pattern 'yyyy-MM-dd bbb'");
  }
}
