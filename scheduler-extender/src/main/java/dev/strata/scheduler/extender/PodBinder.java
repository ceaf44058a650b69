package dev.strata.scheduler.extender;

/**
 * The API calls the extender makes: binding a pod to a node (after recording its GPU indices) and
 * evicting the gang-mates of a preemption victim that kube-scheduler does not evict itself.
 */
public interface PodBinder {

  /**
   * Writes {@code gpuIndices} (when not empty) to the pod's annotations, then binds it.
   *
   * @throws BindException with a reason for kube-scheduler when either call fails
   */
  void bind(String namespace, String name, String uid, String node, String gpuIndices)
      throws BindException;

  /** Deletes the pod gracefully; a pod already gone is not an error. */
  void evict(String namespace, String name, String uid) throws BindException;

  /** An API call failed; the message says which and why. */
  final class BindException extends Exception {
    public BindException(String message) {
      super(message);
    }
  }

  /** For an extender that only filters and scores, as in tests and benchmarks. */
  PodBinder NONE =
      new PodBinder() {
        @Override
        public void bind(String namespace, String name, String uid, String node, String gpus)
            throws BindException {
          throw new BindException("this extender has no API client to bind with");
        }

        @Override
        public void evict(String namespace, String name, String uid) throws BindException {
          throw new BindException("this extender has no API client to evict with");
        }
      };
}
