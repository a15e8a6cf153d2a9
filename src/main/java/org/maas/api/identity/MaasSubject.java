package org.maas.api.identity;

import java.util.List;

/**
 * A caller as the gateway sees their MaaS token: the username and groups its TokenReview gives, the subject of
 * every access review of a model ({@link MaasIdentity#subject}).
 */
public record MaasSubject(String username, List<String> groups) {

    public MaasSubject {
        groups = List.copyOf(groups);
    }
}
