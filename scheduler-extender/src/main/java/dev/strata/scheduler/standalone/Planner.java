package dev.strata.scheduler.standalone;

import dev.strata.scheduler.core.ClusterState;
import dev.strata.scheduler.core.Gang;
import dev.strata.scheduler.core.Placement;
import dev.strata.scheduler.core.Placer;
import dev.strata.scheduler.core.PodRequest;
import dev.strata.scheduler.core.RunningPod;
import dev.strata.scheduler.core.RunningPods;
import dev.strata.scheduler.core.Scheduler;
import dev.strata.scheduler.core.SchedulingDecision;
import dev.strata.scheduler.core.TieBreak;
import dev.strata.scheduler.core.Tier;
import dev.strata.scheduler.core.TopologyMode;
import dev.strata.scheduler.kube.ClusterSnapshot;
import dev.strata.scheduler.kube.GangKey;
import dev.strata.scheduler.kube.GangKeys;
import dev.strata.scheduler.kube.GangTopologies;
import dev.strata.scheduler.kube.PodRequests;
import dev.strata.scheduler.kube.Translation;
import dev.strata.scheduler.policy.Policies;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One scheduling pass, as a pure function: from the nodes and pods the informers hold, the
 * placements being bound ({@code assumed}) and the gangs waiting for their victims ({@code
 * nominations}), the {@link Action}s to take. No API calls; the clock is an argument.
 *
 * <p>Pending pods of this scheduler are grouped into gangs ({@link GangKeys}). A gang is decided
 * only once it has its minimum members, counting members already placed; it is then placed whole by
 * the core or not at all, so two gangs that arrive interleaved never hold half a cluster each.
 * Gangs go in this order: those with members already placed (a bind that failed midway, or a member
 * re-created), then HIGH before LOW, then oldest first. Each admitted gang is counted as placed
 * before the next is decided.
 */
final class Planner {

  static final String REMAINDER_SUFFIX = " (remaining members)";

  private final StandaloneConfig config;

  Planner(StandaloneConfig config) {
    this.config = config;
  }

  record Plan(List<Action> actions, Set<String> lapsedNominations) {}

  private static final class PendingGang {
    final String name;
    final List<Pod> pods = new ArrayList<>();
    final List<PodRequest> requests = new ArrayList<>();
    final List<GangKey> keys = new ArrayList<>();
    final Map<Pod, String> invalid = new LinkedHashMap<>();
    Instant oldest = Instant.MAX;

    PendingGang(String name) {
      this.name = name;
    }
  }

  Plan plan(
      Collection<Node> nodes,
      Collection<Pod> pods,
      Map<String, ClusterSnapshot.Assumed> assumed,
      Map<String, Nomination> nominations,
      Instant now) {
    List<Action> actions = new ArrayList<>();
    Set<String> podUids = new HashSet<>();
    pods.forEach(p -> podUids.add(p.getMetadata().getUid()));

    // Nominations whose victims are all gone lapse; the others keep their room.
    Map<String, Nomination> live = new TreeMap<>();
    Set<String> lapsed = new HashSet<>();
    nominations.forEach(
        (gang, n) -> {
          boolean waiting = n.victimUids().stream().anyMatch(podUids::contains);
          if (waiting && now.isBefore(n.since().plus(config.gangTimeout()))) {
            live.put(gang, n);
          } else {
            lapsed.add(gang);
          }
        });
    Set<String> gone = new HashSet<>();
    Map<String, ClusterSnapshot.Assumed> working = new HashMap<>(assumed);
    live.values()
        .forEach(
            n -> {
              gone.addAll(n.victimUids());
              working.putAll(n.placements());
            });

    Map<String, PendingGang> gangs = new TreeMap<>();
    List<PodRequest> history = new ArrayList<>();
    for (Pod pod : pods) {
      Translation<PodRequest> request = PodRequests.from(pod);
      if (request.isOk()) {
        history.add(request.value());
      }
      if (!isPendingHere(pod) || working.containsKey(pod.getMetadata().getUid())) {
        continue;
      }
      Translation<GangKey> key = GangKeys.of(pod);
      if (!key.isOk()) {
        actions.addAll(report(pod, key.reason()));
        continue;
      }
      PendingGang gang = gangs.computeIfAbsent(key.value().gangName(), PendingGang::new);
      if (request.isOk()) {
        gang.pods.add(pod);
        gang.requests.add(request.value());
        gang.keys.add(key.value());
      } else {
        gang.invalid.put(pod, request.reason());
      }
      Instant created = ClusterSnapshot.created(pod);
      if (created.isBefore(gang.oldest)) {
        gang.oldest = created;
      }
    }

    List<Pod> visible =
        pods.stream().filter(p -> !gone.contains(p.getMetadata().getUid())).toList();
    ClusterSnapshot snapshot = ClusterSnapshot.of(nodes, visible, working, now);
    Set<String> placedGangs = new HashSet<>();
    snapshot.running().forEach(r -> placedGangs.add(r.gang()));

    List<PendingGang> order = new ArrayList<>(gangs.values());
    order.sort(
        Comparator.comparing((PendingGang g) -> !placedGangs.contains(g.name))
            .thenComparing(g -> g.keys.isEmpty() ? Tier.HIGH : g.keys.get(0).tier())
            .thenComparing(g -> g.oldest)
            .thenComparing(g -> g.name));

    Scheduler scheduler =
        new Scheduler(
            new Placer(
                Policies.create(config.policy(), history),
                TieBreak.nodeOrder(snapshot.nodes().size())),
            config.quotas());
    // One cluster for the whole pass, changed as gangs are admitted and victims chosen: reading
    // every pod again after each admitted gang made a pass cost gangs x cluster.
    ClusterState cluster = snapshot.cluster();
    RunningPods running = RunningPods.of(cluster, snapshot.running());
    Map<RunningPod, Pod> admittedThisPass = new IdentityHashMap<>();
    for (PendingGang gang : order) {
      if (live.containsKey(gang.name)) {
        continue; // waiting for its victims to go
      }
      String why = invalid(gang);
      if (why != null) {
        for (Pod pod : gang.pods) {
          actions.addAll(report(pod, why));
        }
        gang.invalid.forEach((pod, reason) -> actions.addAll(report(pod, reason)));
        continue;
      }
      sortMembers(gang);
      GangKey first = gang.keys.get(0);
      int placed = running.gangSize(gang.name);
      int required = gang.keys.stream().mapToInt(GangKey::minMember).max().orElse(0);
      int present = gang.pods.size() + placed;
      if (placed == 0 && present < required) {
        if (!now.isBefore(gang.oldest.plus(config.gangTimeout()))) {
          String message = missingMembers(gang.name, present, required, config.gangTimeout());
          gang.pods.forEach(pod -> actions.addAll(report(pod, message)));
        }
        continue;
      }
      Translation<TopologyMode> topology = GangTopologies.of(gang.pods);
      if (topology instanceof Translation.Rejected<TopologyMode> rejected) {
        gang.pods.forEach(pod -> actions.addAll(report(pod, rejected.reason())));
        continue;
      }
      Gang request =
          new Gang(
                  placed > 0 ? gang.name + REMAINDER_SUFFIX : gang.name,
                  first.tenant(),
                  first.tier(),
                  gang.requests)
              .withTopology(((Translation.Ok<TopologyMode>) topology).value());
      SchedulingDecision decision;
      try {
        decision = scheduler.decide(cluster, running, request);
      } catch (RuntimeException e) {
        // A gang the core cannot take (running pods it finds inconsistent) must not stop the rest.
        String message =
            "the scheduler cannot decide for gang " + gang.name + ": " + e.getMessage();
        gang.pods.forEach(pod -> actions.addAll(report(pod, message)));
        continue;
      }
      if (decision instanceof SchedulingDecision.Pending pending) {
        gang.pods.forEach(pod -> actions.addAll(report(pod, pending.reason())));
        continue;
      }
      SchedulingDecision.Admit admit = (SchedulingDecision.Admit) decision;
      List<Pod> victims = new ArrayList<>();
      for (RunningPod victim : admit.victims()) {
        Pod pod = admittedThisPass.remove(victim);
        victims.add(pod != null ? pod : snapshot.pod(victim));
        running.remove(victim);
        cluster.unbind(victim.placement());
      }
      List<Action.Member> members = new ArrayList<>();
      for (int i = 0; i < gang.pods.size(); i++) {
        Placement p = admit.placements().get(i);
        Pod pod = gang.pods.get(i);
        members.add(new Action.Member(pod, p));
        cluster.bind(p);
        // Just placed: preempting it later in this pass would lose no work.
        RunningPod admitted = new RunningPod(gang.name, first.tenant(), first.tier(), p, 0);
        running.add(admitted);
        admittedThisPass.put(admitted, pod);
      }
      if (victims.isEmpty()) {
        actions.add(new Action.Bind(gang.name, members));
      } else {
        actions.add(new Action.Preempt(gang.name, first.tenant(), first.tier(), victims, members));
      }
    }
    return new Plan(actions, lapsed);
  }

  /** A pod this scheduler should place: its name, not bound, not finished, not being deleted. */
  boolean isPendingHere(Pod pod) {
    return pod.getSpec() != null
        && config.schedulerName().equals(pod.getSpec().getSchedulerName())
        && (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty())
        && pod.getMetadata().getDeletionTimestamp() == null
        && !ClusterSnapshot.finished(pod);
  }

  private static String invalid(PendingGang gang) {
    if (!gang.invalid.isEmpty()) {
      Map.Entry<Pod, String> bad = gang.invalid.entrySet().iterator().next();
      return "gang "
          + gang.name
          + " cannot start: member "
          + bad.getKey().getMetadata().getName()
          + " is invalid ("
          + bad.getValue()
          + "), and a gang starts whole or not at all.";
    }
    GangKey first = gang.keys.get(0);
    for (GangKey key : gang.keys) {
      if (!key.tenant().equals(first.tenant()) || key.tier() != first.tier()) {
        return "gang "
            + gang.name
            + " cannot start: its members disagree on tenant or tier ("
            + first.tenant()
            + "/"
            + first.tier()
            + " and "
            + key.tenant()
            + "/"
            + key.tier()
            + ").";
      }
    }
    return null;
  }

  /** Members by name, a launcher before its workers and worker-2 before worker-10. */
  private static void sortMembers(PendingGang gang) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < gang.pods.size(); i++) {
      idx.add(i);
    }
    idx.sort(Comparator.comparing(i -> gang.pods.get(i).getMetadata().getName(), NATURAL));
    List<Pod> pods = idx.stream().map(gang.pods::get).toList();
    List<PodRequest> requests = idx.stream().map(gang.requests::get).toList();
    List<GangKey> keys = idx.stream().map(gang.keys::get).toList();
    gang.pods.clear();
    gang.pods.addAll(pods);
    gang.requests.clear();
    gang.requests.addAll(requests);
    gang.keys.clear();
    gang.keys.addAll(keys);
  }

  /** Compares runs of digits by value, so that w-2 sorts before w-10. */
  static final Comparator<String> NATURAL =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          char ca = a.charAt(i);
          char cb = b.charAt(j);
          if (Character.isDigit(ca) && Character.isDigit(cb)) {
            int si = i;
            int sj = j;
            while (i < a.length() && Character.isDigit(a.charAt(i))) {
              i++;
            }
            while (j < b.length() && Character.isDigit(b.charAt(j))) {
              j++;
            }
            String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
            String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
            int c = na.length() != nb.length() ? na.length() - nb.length() : na.compareTo(nb);
            if (c != 0) {
              return c;
            }
          } else {
            if (ca != cb) {
              return ca - cb;
            }
            i++;
            j++;
          }
        }
        int rest = (a.length() - i) - (b.length() - j);
        return rest != 0 ? rest : a.compareTo(b);
      };

  static String missingMembers(String gang, int present, int required, Duration timeout) {
    int missing = required - present;
    return "gang "
        + gang
        + " has "
        + present
        + " of its "
        + required
        + " minimum members after "
        + timeout.toSeconds()
        + " s; "
        + missing
        + " member"
        + (missing == 1 ? " is" : "s are")
        + " missing, and a gang starts whole or not at all.";
  }

  /** A report, unless the pod already says exactly this. */
  static List<Action> report(Pod pod, String message) {
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType())
            && "False".equals(c.getStatus())
            && "Unschedulable".equals(c.getReason())
            && message.equals(c.getMessage())) {
          return List.of();
        }
      }
    }
    return List.of(new Action.Report(pod, message));
  }
}
