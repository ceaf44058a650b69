package dev.strata.scheduler.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which GPUs of one node are linked by NVLink, as disjoint groups of GPU indices; GPUs in no group
 * reach the others over PCIe only. Read from the node annotation {@value #ANNOTATION}, e.g. {@code
 * 0-3,4-7} (two groups of four) or {@code 0-1,2-3,4-5,6-7}; a group is a range {@code a-b} or a
 * single index. {@link #NONE} (annotation absent) means no NVLink at all.
 */
public final class NvLinkGroups {

  /** Node annotation holding the groups, e.g. {@code 0-3,4-7}. */
  public static final String ANNOTATION = "strata.dev/nvlink-groups";

  public static final NvLinkGroups NONE = new NvLinkGroups(new int[0][]);

  private final int[][] groups;

  private NvLinkGroups(int[][] groups) {
    this.groups = groups;
  }

  /**
   * Parses the annotation's value; null or blank is {@link #NONE}.
   *
   * @throws IllegalArgumentException naming what is wrong: not a range, a reversed or negative
   *     range, or a GPU in two groups
   */
  public static NvLinkGroups parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    List<int[]> groups = new ArrayList<>();
    for (String part : text.split(",")) {
      String range = part.strip();
      int dash = range.indexOf('-');
      int from;
      int to;
      try {
        from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash).strip());
        to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            ANNOTATION + " '" + text + "': '" + range + "' is not a GPU index or range like 0-3");
      }
      if (from < 0 || to < from) {
        throw new IllegalArgumentException(
            ANNOTATION + " '" + text + "': '" + range + "' is not a range of GPU indices");
      }
      int[] group = new int[to - from + 1];
      Arrays.setAll(group, i -> from + i);
      groups.add(group);
    }
    return of(groups);
  }

  /** Groups given as index lists; they must be disjoint. */
  public static NvLinkGroups of(List<int[]> groups) {
    int[][] copy = new int[groups.size()][];
    Set<Integer> seen = new HashSet<>();
    for (int g = 0; g < copy.length; g++) {
      copy[g] = groups.get(g).clone();
      Arrays.sort(copy[g]);
      for (int gpu : copy[g]) {
        if (gpu < 0) {
          throw new IllegalArgumentException("NVLink group with negative GPU index " + gpu);
        }
        if (!seen.add(gpu)) {
          throw new IllegalArgumentException("GPU " + gpu + " is in two NVLink groups");
        }
      }
    }
    return copy.length == 0 ? NONE : new NvLinkGroups(copy);
  }

  public boolean isEmpty() {
    return groups.length == 0;
  }

  public int size() {
    return groups.length;
  }

  /** GPU indices of group {@code g}, ascending. */
  public int[] group(int g) {
    return groups[g].clone();
  }

  int[] groupNoCopy(int g) {
    return groups[g];
  }

  /** The highest GPU index named, -1 when there are no groups. */
  public int maxGpu() {
    int max = -1;
    for (int[] group : groups) {
      max = Math.max(max, group[group.length - 1]);
    }
    return max;
  }

  /** The annotation's text for these groups; a group that is no range is shown as a list. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int[] group : groups) {
      if (text.length() > 0) {
        text.append(',');
      }
      if (group.length == 1) {
        text.append(group[0]);
      } else if (group[group.length - 1] - group[0] == group.length - 1) {
        text.append(group[0]).append('-').append(group[group.length - 1]);
      } else {
        text.append(Arrays.toString(group));
      }
    }
    return text.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NvLinkGroups other && Arrays.deepEquals(other.groups, groups);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(groups);
  }
}
