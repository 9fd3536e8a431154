package io.vaultsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeleteLimitsTest {
  @ParameterizedTest(name = "{0} of {1} files: exceeded={2}")
  @CsvSource({
    "0, 0, false",
    "0, 1000, false",
    "1, 3, false", // 33%, but below the floor of 10
    "9, 10, false", // 90%, below the floor
    "10, 34, false", // 29%
    "10, 33, true", // 30.3%
    "10, 10, true",
    "30, 100, false", // exactly 30% is allowed
    "31, 100, true",
    "255, 10000, false", // a tidy-up of a large vault: 2.5%
    "3000, 10000, false",
    "3001, 10000, true",
    "5, 0, false" // below the floor, whatever the vault size
  })
  void defaultsRefuseMoreThan30PercentFrom10DeletesOnWithNoAbsoluteCap(
      long deletes, long files, boolean exceeded) {
    assertThat(DeleteLimits.DEFAULTS.exceeded(deletes, files)).isEqualTo(exceeded);
  }

  @Test
  void noneAllowsEverything() {
    assertThat(DeleteLimits.NONE.exceeded(1_000_000, 1_000_000)).isFalse();
    assertThat(DeleteLimits.NONE.exceeded(5, 0)).isFalse();
  }

  @Test
  void anAbsoluteCapIsOptIn() {
    DeleteLimits capped = new DeleteLimits(200, 30, 10);
    assertThat(capped.exceeded(201, 100_000)).isTrue();
    assertThat(capped.exceeded(200, 100_000)).isFalse();
    assertThat(capped.describe()).contains("200 files", "30%", "10 deletes");
  }

  @Test
  void percentRoundsDownAndCountsAnEmptyVaultAsAHundred() {
    assertThat(DeleteLimits.percent(1, 3)).isEqualTo(33);
    assertThat(DeleteLimits.percent(3, 0)).isEqualTo(100);
  }

  @Test
  void badLimitsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> new DeleteLimits(-1, 30, 10)).hasMessageContaining("-1 files");
    assertThatThrownBy(() -> new DeleteLimits(200, 101, 10)).hasMessageContaining("101%");
    assertThatThrownBy(() -> new DeleteLimits(200, 30, 0)).hasMessageContaining("floor of 0");
  }

  @Test
  void describeNamesThePercentageAndTheFloorAndNoCapByDefault() {
    assertThat(DeleteLimits.DEFAULTS.describe())
        .isEqualTo("more than 30% of the vault's files (from 10 deletes on)");
  }
}
