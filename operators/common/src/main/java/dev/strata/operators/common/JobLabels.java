package dev.strata.operators.common;

/**
 * The label keys upstream Kubeflow puts on a job's pods and Services. Tools and dashboards select
 * on them, so Strata uses the same keys and values.
 */
public final class JobLabels {
  public static final String JOB_NAME = "training.kubeflow.org/job-name";
  public static final String REPLICA_TYPE = "training.kubeflow.org/replica-type";
  public static final String REPLICA_INDEX = "training.kubeflow.org/replica-index";
  public static final String JOB_ROLE = "training.kubeflow.org/job-role";
  public static final String OPERATOR_NAME = "training.kubeflow.org/operator-name";

  private JobLabels() {}
}
