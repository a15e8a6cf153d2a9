package org.maas.api.config;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.hibernate.validator.constraints.time.DurationMin;

/** A {@link java.time.Duration} setting that must be longer than zero. */
@DurationMin(nanos = 0, inclusive = false)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({METHOD, TYPE_USE})
@Retention(RUNTIME)
public @interface PositiveDuration {
    String message() default "must be a positive duration (like 500ms, 30s, 5m, 4h)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
