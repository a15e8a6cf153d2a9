package org.maas.api.tier;

import org.maas.api.identity.MaasIdentity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.maas.api.config.DnsNames;

/**
 * Reads the tier config (the {@code tiers} key of the upstream {@code tier-to-group-mapping}
 * ConfigMap): a YAML list of {@code {name, displayName?, description?, level, groups[], limits?}}
 * (limits: see {@link TierLimitsParser}).
 * Validation reports every problem with the tier's index and name, so an admin fixes all in one go.
 */
public final class TierConfigParser {

    private static final Set<String> KEYS = Set.of("name", "displayName", "description", "level", "groups",
            "limits");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final MaasIdentity identity;

    /** @param identity tier names become namespaces, which limits their length */
    public TierConfigParser(MaasIdentity identity) {
        this.identity = identity;
    }

    public List<Tier> parse(String yaml) throws InvalidTierConfigException {
        JsonNode root;
        try {
            root = yaml == null || yaml.isBlank() ? null : YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidTierConfigException(List.of("not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : "")));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new InvalidTierConfigException(List.of("the config is empty: it needs at least one tier"));
        }
        if (!root.isArray()) {
            throw new InvalidTierConfigException(List.of("the config must be a YAML list of tiers, found "
                    + root.getNodeType().name().toLowerCase()));
        }
        if (root.isEmpty()) {
            throw new InvalidTierConfigException(List.of("the list of tiers is empty: it needs at least one tier"));
        }
        List<String> problems = new ArrayList<>();
        List<Tier> tiers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            Tier tier = parseTier(root.get(i), i, problems);
            if (tier != null && !names.add(tier.name())) {
                problems.add(where(i, tier.name()) + "name '" + tier.name() + "' is used by an earlier tier");
            }
            tiers.add(tier);
        }
        if (!problems.isEmpty()) {
            throw new InvalidTierConfigException(problems);
        }
        return List.copyOf(tiers);
    }

    private Tier parseTier(JsonNode node, int index, List<String> problems) {
        if (!node.isObject()) {
            problems.add(where(index, null) + "must be a mapping with name, level and groups");
            return null;
        }
        String name = text(node, "name");
        String at = where(index, name);
        int before = problems.size();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                problems.add(at + "unknown key '" + key + "' (allowed: name, displayName, description, level, groups, limits)");
            }
        }
        checkName(node.get("name"), at, problems);
        String displayName = optionalText(node, "displayName", at, problems);
        if (displayName != null && displayName.isBlank()) {
            problems.add(at + "displayName must not be blank when given");
        }
        String description = optionalText(node, "description", at, problems);
        JsonNode level = node.get("level");
        if (level == null || level.isNull()) {
            problems.add(at + "level is required (an integer; the highest level wins)");
        } else if (!level.isInt()) {
            problems.add(at + "level must be an integer, found " + describe(level));
        }
        List<String> groups = groups(node.get("groups"), at, problems);
        TierLimits limits = TierLimitsParser.parse(node.get("limits"), at, problems);
        if (problems.size() > before) {
            return null;
        }
        return new Tier(name, displayName, description, level.intValue(), groups, limits);
    }

    private void checkName(JsonNode name, String at, List<String> problems) {
        if (name == null || name.isNull()) {
            problems.add(at + "name is required");
        } else if (!name.isTextual()) {
            problems.add(at + "name must be a string, found " + describe(name));
        } else if (!DnsNames.isLabel(name.asText())) {
            problems.add(at + "name must be " + DnsNames.LABEL_RULE);
        } else if (identity.tierNamespace(name.asText()).length() > DnsNames.MAX_LABEL) {
            problems.add(at + "name is too long: its namespace '" + identity.tierNamespace(name.asText())
                    + "' would exceed 63 characters (at most " + (DnsNames.MAX_LABEL - identity.tierNamespacePrefix().length())
                    + " characters for a name)");
        }
    }

    private static List<String> groups(JsonNode node, String at, List<String> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(at + "groups must be a list of group names, found " + describe(node));
            return List.of();
        }
        List<String> groups = new ArrayList<>();
        for (int g = 0; g < node.size(); g++) {
            JsonNode group = node.get(g);
            if (!group.isTextual() || group.asText().isBlank()) {
                problems.add(at + "groups[" + g + "] must be a non-empty string, found " + describe(group));
            } else {
                groups.add(group.asText());
            }
        }
        return groups;
    }

    private static String optionalText(JsonNode node, String key, String at, List<String> problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(at + key + " must be a string, found " + describe(value));
            return null;
        }
        return value.asText();
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String where(int index, String name) {
        return "tier[" + index + "]" + (name != null ? " (" + name + ")" : "") + ": ";
    }

    private static String describe(JsonNode node) {
        return node.isContainerNode() ? node.getNodeType().name().toLowerCase() : "'" + node.asText() + "'";
    }
}
