package io.vaultsync.server.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table: each row is one file's history, written oldest first as "age[:flag]" items (age like
 * {@code 31d2h10m}; flags: {@code D} delete, {@code P} pinned by a snapshot), and the ages expected
 * to be dropped under the default policy (30 d all, 7 d hourly, 365 d daily).
 */
class ThinningTest {
  /** Now: a Thursday noon, not on an hour or day boundary in its minutes. */
  static final Instant NOW = Instant.parse("2026-11-26T12:34:56Z");

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("single old version is the head", "500d", ""),
        Arguments.of("young versions are all kept", "29d 10d 1h 1m", ""),
        Arguments.of("exactly 30 days old is kept", "30d 1d", ""),
        Arguments.of(
            "hourly phase keeps the newest of each hour",
            "31d2h40m 31d0h50m 31d0h40m 31d0h20m 1m",
            "31d0h50m"),
        Arguments.of(
            "daily phase keeps the newest of each UTC day",
            "100d3h 100d2h 100d1h 1m",
            "100d3h 100d2h"),
        Arguments.of("older than 402 days is dropped", "403d 402d1h 401d 1m", "403d 402d1h"),
        Arguments.of("the head survives even when very old", "900d 800d", "900d"),
        Arguments.of("a pinned version survives", "900d:P 800d 1m", "800d"),
        Arguments.of(
            "a delete does not push out the content it deleted", "40d0h10m 40d0h05m:D", ""),
        Arguments.of(
            "a deleted note's last version is thinned like any other",
            "100d5h 100d4h 100d3h:D",
            "100d5h"),
        Arguments.of(
            "an old delete goes once it is outside the window", "500d 450d:D 1d", "500d 450d:D"),
        Arguments.of(
            "a newer version in the keep-all phase covers its hour",
            "30d0h0m10s 29d23h59m50s",
            "30d0h0m10s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void dropsWhatTheTableSays(String name, String history, String expectedDrops) {
    List<String> items = Arrays.asList(history.trim().split("\\s+"));
    List<VersionRef> newestFirst = new ArrayList<>();
    List<String> labelsNewestFirst = new ArrayList<>();
    long seq = items.size();
    for (int i = items.size() - 1; i >= 0; i--) {
      String item = items.get(i);
      String[] parts = item.split(":");
      String flags = parts.length > 1 ? parts[1] : "";
      newestFirst.add(
          new VersionRef(
              seq--, NOW.minus(age(parts[0])), flags.contains("D"), flags.contains("P")));
      labelsNewestFirst.add(item);
    }
    List<Long> dropped = Thinning.drop(newestFirst, NOW, RetentionPolicy.DEFAULT);
    List<String> droppedLabels = new ArrayList<>();
    for (int i = 0; i < newestFirst.size(); i++) {
      if (dropped.contains(newestFirst.get(i).seq())) {
        droppedLabels.add(labelsNewestFirst.get(i));
      }
    }
    List<String> expected =
        expectedDrops.isBlank() ? List.of() : Arrays.asList(expectedDrops.trim().split("\\s+"));
    assertThat(droppedLabels).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void customPolicyWithoutHourlyPhaseGoesStraightToDaily() {
    RetentionPolicy p = new RetentionPolicy(Duration.ofDays(1), Duration.ZERO, Duration.ofDays(10));
    List<VersionRef> v =
        List.of(
            new VersionRef(4, NOW.minus(Duration.ofMinutes(1)), false, false),
            new VersionRef(3, NOW.minus(age("2d0h10m")), false, false),
            new VersionRef(2, NOW.minus(age("2d0h20m")), false, false),
            new VersionRef(1, NOW.minus(age("12d")), false, false));
    assertThat(Thinning.drop(v, NOW, p)).containsExactlyInAnyOrder(2L, 1L);
  }

  @Test
  void keptSetOnlyShrinksAsTimePasses() {
    java.util.Random random = new java.util.Random(5);
    List<VersionRef> v = new ArrayList<>();
    Instant t = NOW;
    for (long seq = 2_000; seq >= 1; seq--) {
      v.add(new VersionRef(seq, t, random.nextInt(20) == 0, false));
      t = t.minusSeconds(random.nextInt(40_000));
    }
    List<Long> before = Thinning.drop(v, NOW, RetentionPolicy.DEFAULT);
    for (int days = 1; days < 500; days += 7) {
      List<Long> later = Thinning.drop(v, NOW.plus(Duration.ofDays(days)), RetentionPolicy.DEFAULT);
      assertThat(later).as("seed 5, %d days later", days).containsAll(before);
      before = later;
    }
  }

  @Test
  void versionsNotNewestFirstAreRefused() {
    List<VersionRef> v =
        List.of(new VersionRef(1, NOW, false, false), new VersionRef(2, NOW, false, false));
    assertThatThrownBy(() -> Thinning.drop(v, NOW, RetentionPolicy.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("newest first");
  }

  @Test
  void negativePhaseIsRefusedNamingIt() {
    assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(-1), Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("keep-all phase PT-24H");
  }

  static Duration age(String text) {
    Duration d = Duration.ZERO;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([dhms])").matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
              });
    }
    return d;
  }
}
