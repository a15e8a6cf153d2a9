package org.maas.api.identity;

import java.util.List;

/**
 * Who is calling, as the API server's TokenReview vouched for it, and what kind of credential it is.
 * Each endpoint says which kinds it accepts ({@link CallerAuthenticator#person} or
 * {@link CallerAuthenticator#anyCaller}).
 */
public sealed interface Caller {

    String username();

    List<String> groups();

    /** Someone calling with their own cluster identity (a person, or any account that is no MaaS token). */
    record Person(String username, List<String> groups) implements Caller {
        public Person {
            groups = List.copyOf(groups);
        }
    }

    /**
     * A token maas-api issued: its ServiceAccount in a tier namespace. It may call models and read what
     * they allow, never manage tokens, or a leaked MaaS token could renew itself forever.
     *
     * @param serviceAccount the ServiceAccount's name: the gateway's {@code userid}, one per user
     */
    record MaasToken(String username, List<String> groups, String tier, String serviceAccount) implements Caller {
        public MaasToken {
            groups = List.copyOf(groups);
        }
    }
}
