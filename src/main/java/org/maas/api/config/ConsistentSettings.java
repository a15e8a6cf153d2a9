package org.maas.api.config;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;
import static org.maas.api.config.ConsistentSettings.Violation.report;
import static org.maas.api.config.ConsistentSettings.Violation.expirations;
import static org.maas.api.config.ConsistentSettings.Violation.text;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The rules that relate keys of one group of {@link MaasConfig}; a rule about one key alone is an
 * annotation on that key. Each broken rule is its own violation, so all are reported at once. SmallRye
 * Config prints a group's violation as {@code maas.<group> <message>}, so each message starts with the key.
 */
@Constraint(validatedBy = {ConsistentSettings.TokensRules.class, ConsistentSettings.PoliciesRules.class,
        ConsistentSettings.GatewayRules.class, ConsistentSettings.ApiKeysRules.class, ConsistentSettings.TiersRules.class})
@Target(TYPE)
@Retention(RUNTIME)
public @interface ConsistentSettings {
    String message() default "inconsistent settings";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class TokensRules implements ConstraintValidator<ConsistentSettings, MaasConfig.Tokens> {
        @Override
        public boolean isValid(MaasConfig.Tokens tokens, ConstraintValidatorContext context) {
            return expirations(context, tokens.minExpiration(), tokens.maxExpiration(), tokens.defaultExpiration(),
                    "every mint without an expiration fails");
        }
    }

    class ApiKeysRules implements ConstraintValidator<ConsistentSettings, MaasConfig.ApiKeys> {
        @Override
        public boolean isValid(MaasConfig.ApiKeys keys, ConstraintValidatorContext context) {
            return expirations(context, keys.minExpiration(), keys.maxExpiration(), keys.defaultExpiration(),
                    "every key created without an expiration fails");
        }
    }

    /** What fabric8's LeaderElector requires; it would refuse to start the reconciler otherwise. */
    class PoliciesRules implements ConstraintValidator<ConsistentSettings, MaasConfig.Policies> {
        @Override
        public boolean isValid(MaasConfig.Policies policies, ConstraintValidatorContext context) {
            boolean valid = true;
            if (policies.leaseRenewDeadline().compareTo(policies.leaseDuration()) >= 0) {
                valid = report(context, "lease-renew-deadline (" + text(policies.leaseRenewDeadline())
                        + ") must be shorter than lease-duration (" + text(policies.leaseDuration()) + ")");
            }
            if (policies.leaseRetryPeriod().compareTo(policies.leaseRenewDeadline()) >= 0) {
                valid = report(context, "lease-retry-period (" + text(policies.leaseRetryPeriod())
                        + ") must be shorter than lease-renew-deadline (" + text(policies.leaseRenewDeadline()) + ")");
            }
            return valid;
        }
    }

    /**
     * The file source's file is there when the service starts: a path with a typo would leave a service that
     * is never ready. (Deleted later, the last config read from it keeps serving.)
     */
    class TiersRules implements ConstraintValidator<ConsistentSettings, MaasConfig.Tiers> {
        @Override
        public boolean isValid(MaasConfig.Tiers tiers, ConstraintValidatorContext context) {
            if (tiers.source() != MaasConfig.SourceKind.file || tiers.file().isEmpty() || tiers.file().get().isBlank()) {
                return true;
            }
            Path file = Path.of(tiers.file().get());
            if (Files.isRegularFile(file) && Files.isReadable(file)) {
                return true;
            }
            return report(context, "file '" + tiers.file().get() + "' (" + file.toAbsolutePath() + ") is not a readable"
                    + " file: set maas.tiers.file to your tier config file, or leave it unset for the bundled default tiers");
        }
    }

    class GatewayRules implements ConstraintValidator<ConsistentSettings, MaasConfig.Gateway> {
        @Override
        public boolean isValid(MaasConfig.Gateway gateway, ConstraintValidatorContext context) {
            String prefix = gateway.tierNamespacePrefix();
            // Tier namespaces are <prefix><tier>: the prefix followed by the shortest tier name must be a label.
            if (!prefix.isEmpty() && DnsNames.isLabel(prefix + "0")) {
                return true;
            }
            return report(context, "tier-namespace-prefix '" + prefix + "' (by default <name>-tier-) must be lower case letters, digits and '-', start"
                    + " with a letter or digit and be shorter than 63 characters: tier namespaces are <prefix><tier>");
        }
    }

    /** Shared by the rules (an annotation type cannot hold private methods). */
    final class Violation {
        private Violation() {
        }

        /** min <= default <= max, shared by tokens and API keys. */
        static boolean expirations(ConstraintValidatorContext context, Duration min, Duration max, Duration def,
                                   String otherwise) {
            if (max.compareTo(min) < 0) {
                return report(context, "max-expiration (" + text(max) + ") must not be shorter than"
                        + " min-expiration (" + text(min) + ")");
            }
            if (def.compareTo(min) < 0 || def.compareTo(max) > 0) {
                return report(context, "default-expiration (" + text(def) + ") must be within min-expiration ("
                        + text(min) + ") and max-expiration (" + text(max) + "), or " + otherwise);
            }
            return true;
        }

        static boolean report(ConstraintValidatorContext context, String message) {
            context.disableDefaultConstraintViolation();
            // Bean Validation reads '{', '}', '$' and '\' as template syntax; keep them literal.
            context.buildConstraintViolationWithTemplate(message.replaceAll("([\\\\{}$])", "\\\\$1"))
                    .addConstraintViolation();
            return false;
        }

        /** 4h, 10m, 500ms: how the settings are written (Duration's own text is PT4H). */
        static String text(Duration duration) {
            return duration.toString().substring(2).toLowerCase();
        }
    }
}
