package org.maas.api.config;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A {@link MemorySize} setting that must be larger than zero bytes. */
@Constraint(validatedBy = PositiveSize.Validator.class)
@Target({METHOD, TYPE_USE})
@Retention(RUNTIME)
public @interface PositiveSize {
    String message() default "must be a positive size (like 64K, 1M)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PositiveSize, MemorySize> {
        @Override
        public boolean isValid(MemorySize value, ConstraintValidatorContext context) {
            return value == null || value.asLongValue() > 0;
        }
    }
}
