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

/** A name the API server accepts for a namespace (or a tier, whose namespace it becomes): RFC 1123 label. */
@Pattern(regexp = DnsNames.LABEL_REGEX)
@Size(max = DnsNames.MAX_LABEL)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({METHOD, TYPE_USE})
@Retention(RUNTIME)
public @interface DnsLabel {
    String message() default "must be " + DnsNames.LABEL_RULE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
