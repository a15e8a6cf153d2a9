package org.maas.api.config;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A name the API server accepts for most objects (ConfigMap, Lease, Gateway): RFC 1123 subdomain. */
@Pattern(regexp = DnsNames.SUBDOMAIN_REGEX)
@Size(max = 253)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({METHOD, TYPE_USE})
@Retention(RUNTIME)
public @interface DnsSubdomain {
    String message() default "must be a DNS-1123 subdomain (lower case letters, digits, '-' and '.', starting and"
            + " ending with a letter or digit, at most 253 characters)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
