package dev.strata.scheduler.extender;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Snapshot#indices} answers as the name map does whatever order the names come in: the same
 * list again, a subsequence, a shuffle, unknown and repeated names.
 */
class SnapshotIndicesTest {

  @Test
  void everyNameResolvesAsTheMapSaysInAnyOrder() {
    ClusterView view = new ClusterView();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String name = String.format("n-%03d", i);
      names.add(name);
      view.upsertNode(Fixture.node(name, 8, i % 50 == 7));
    }
    Snapshot s = new Snapshot(view.contents(), Instant.EPOCH);
    Random random = new Random(1);
    List<List<String>> requests = new ArrayList<>();
    requests.add(names);
    requests.add(names);
    List<String> subsequence = new ArrayList<>();
    for (String name : names) {
      if (random.nextInt(3) > 0) {
        subsequence.add(name);
      }
    }
    requests.add(subsequence);
    List<String> shuffled = new ArrayList<>(names);
    shuffled.add("not-a-node");
    shuffled.add(names.get(5));
    Collections.shuffle(shuffled, random);
    requests.add(shuffled);
    requests.add(names);
    requests.add(subsequence);

    for (List<String> request : requests) {
      int[] indices = s.indices(request);
      for (int i = 0; i < request.size(); i++) {
        Integer expected = s.nodeIndex.get(request.get(i));
        assertThat(indices[i]).as(request.get(i)).isEqualTo(expected == null ? -1 : expected);
      }
    }
    assertThat(s.indices(List.of("n-007"))).containsExactly(-1); // cordoned: not usable
  }
}
