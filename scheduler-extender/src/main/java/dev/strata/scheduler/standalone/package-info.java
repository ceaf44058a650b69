/**
 * The standalone scheduler ({@code schedulerName: strata-scheduler}): {@link
 * dev.strata.scheduler.standalone.StandaloneScheduler} watches pods and nodes and runs one loop
 * that plans each pass with the pure {@code Planner} (gang collection, {@link
 * dev.strata.scheduler.core.Scheduler#decide}) and applies it with the {@code Applier} (GPU indices
 * annotation, binding, Unschedulable conditions and Events, preemption). {@link
 * dev.strata.scheduler.standalone.StandaloneMain} is the process. docs/scheduler.md, section
 * "Standalone scheduler", describes its behaviour.
 */
package dev.strata.scheduler.standalone;
