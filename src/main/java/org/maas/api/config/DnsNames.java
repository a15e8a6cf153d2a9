package org.maas.api.config;

import java.util.regex.Pattern;

/** The API server's DNS-1123 name rules, defined once: the constraints and the hand-written checks use these. */
public final class DnsNames {

    /** An RFC 1123 label: a namespace, so a tier too (its namespace is {@code <prefix><tier>}). */
    public static final String LABEL_REGEX = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    public static final int MAX_LABEL = 63;
    /** An RFC 1123 subdomain: dot-separated labels (ConfigMap, Lease, Gateway names). */
    public static final String SUBDOMAIN_REGEX = LABEL_REGEX + "(\\." + LABEL_REGEX + ")*";
    /** What a label is, for messages: "name must be " + LABEL_RULE. */
    public static final String LABEL_RULE = "a DNS-1123 label (lower case letters, digits and '-', starting and ending"
            + " with a letter or digit, at most 63 characters)";

    private static final Pattern LABEL = Pattern.compile(LABEL_REGEX);

    private DnsNames() {
    }

    public static boolean isLabel(String name) {
        return name.length() <= MAX_LABEL && LABEL.matcher(name).matches();
    }
}
