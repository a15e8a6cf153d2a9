package org.maas.api.model;

/**
 * An LLMInferenceService attached to the MaaS gateway, as GET /v1/models shows it.
 *
 * @param id      what clients put in {@code "model"}: {@code spec.model.name}, else the object's name
 * @param created creation time, epoch seconds
 * @param url     where clients call it; null while KServe has published no address
 * @param route   {@code <namespace>/<name>} of the HTTPRoute that serves it (ModelReader#route): the
 *                namespace of its counters in Limitador
 */
public record Model(String namespace, String name, String id, long created, String url, boolean ready, String route) {

    /** The object's identity, for the access decision (RBAC names the object, not the served model name). */
    String key() {
        return namespace + "/" + name;
    }
}
