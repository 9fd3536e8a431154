package io.vaultsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackFilesTest {

  @Test
  void idsMadeWithinOneMillisecondStillSortInTheOrderTheyWereMade() {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      made.add(PackFiles.newId());
    }
    assertThat(made).isSorted().doesNotHaveDuplicates();
  }
}
