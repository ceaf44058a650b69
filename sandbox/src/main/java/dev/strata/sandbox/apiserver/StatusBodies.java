package dev.strata.sandbox.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.admission.AdmissionResult;
import dev.strata.admission.FieldViolation;

/** The {@code Status} objects kube-apiserver answers failures with. */
public final class StatusBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusBodies() {}

  public static ObjectNode failure(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return status;
  }

  /** The resource as errors name it: {@code pods}, {@code mpijobs.kubeflow.org}. */
  private static String qualified(String group, String plural) {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** 404 for a missing object: {@code mpijobs.kubeflow.org "pi" not found}. */
  public static ObjectNode notFound(String group, String plural, String name) {
    String qualified = qualified(group, plural);
    ObjectNode status =
        failure(
            404, "NotFound", qualified + " " + FieldViolation.render(text(name)) + " not found");
    details(status, name, group, plural);
    return status;
  }

  /** 409 for a create of an existing name. */
  public static ObjectNode alreadyExists(String group, String plural, String name) {
    String qualified = qualified(group, plural);
    ObjectNode status =
        failure(
            409,
            "AlreadyExists",
            qualified + " " + FieldViolation.render(text(name)) + " already exists");
    details(status, name, group, plural);
    return status;
  }

  /** 422 Invalid with one cause per violation, as kubectl prints them. */
  public static ObjectNode invalid(AdmissionResult result, String group, String kind, String name) {
    ObjectNode status = failure(422, "Invalid", result.invalidMessage());
    ObjectNode details = details(status, name, group, kind);
    ArrayNode causes = details.putArray("causes");
    for (FieldViolation v : result.violations()) {
      ObjectNode cause = causes.addObject();
      cause.put("reason", causeType(v));
      cause.put("message", v.body());
      cause.put("field", v.field());
    }
    return status;
  }

  /** 400 for unknown fields under {@code fieldValidation=Strict}. */
  public static ObjectNode strictDecoding(String kind, String version, Iterable<String> fields) {
    StringBuilder errors = new StringBuilder();
    for (String field : fields) {
      if (errors.length() > 0) {
        errors.append(", ");
      }
      errors.append("unknown field ").append(FieldViolation.render(text(field)));
    }
    return failure(
        400,
        "BadRequest",
        kind
            + " in version "
            + FieldViolation.render(text(version))
            + " cannot be handled as a "
            + kind
            + ": strict decoding error: "
            + errors);
  }

  private static ObjectNode details(ObjectNode status, String name, String group, String kind) {
    ObjectNode details = status.putObject("details");
    details.put("name", name);
    details.put("group", group);
    details.put("kind", kind);
    return details;
  }

  private static String causeType(FieldViolation v) {
    return switch (v.type()) {
      case REQUIRED -> "FieldValueRequired";
      case INVALID, TYPE_INVALID -> "FieldValueInvalid";
      case NOT_SUPPORTED -> "FieldValueNotSupported";
      case DUPLICATE -> "FieldValueDuplicate";
      case FORBIDDEN -> "FieldValueForbidden";
      case TOO_LONG -> "FieldValueTooLong";
      case TOO_MANY -> "FieldValueTooMany";
      case INTERNAL -> "InternalError";
    };
  }

  private static com.fasterxml.jackson.databind.JsonNode text(String value) {
    return JSON.getNodeFactory().textNode(value == null ? "" : value);
  }
}
