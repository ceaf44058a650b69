package dev.strata.admission;

import dev.cel.runtime.CelRuntime;

/**
 * One x-kubernetes-validations rule, compiled once.
 *
 * @param location where the rule sits in the CRD, for load errors
 * @param rule the CEL source
 * @param message the fixed message, possibly empty
 * @param messageProgram the compiled messageExpression, or null
 * @param fieldPath the rule's fieldPath, possibly empty
 * @param reason the rule's reason, possibly empty
 * @param transition whether the rule reads oldSelf, so runs only on update
 * @param optionalOldSelf whether oldSelf is an optional, so the rule also runs on create
 */
record CompiledRule(
    String location,
    String rule,
    String message,
    CelRuntime.Program program,
    CelRuntime.Program messageProgram,
    String fieldPath,
    String reason,
    boolean transition,
    boolean optionalOldSelf) {

  /** The rule as apiserver names it in messages: its message if it has one, else its source. */
  String describe() {
    return !message.isBlank() ? message.strip() : rule.strip();
  }

  /** The message for a failed rule when no messageExpression supplies one. */
  String defaultMessage() {
    return !message.isBlank() ? message.strip() : "failed rule: " + rule.strip();
  }
}
