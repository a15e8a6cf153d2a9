package org.maas.api.tier;

/** CDI event: a new valid tier config is being served. Rejected configs fire nothing. */
public record TierConfigApplied(TierIndex index) {
}
