package org.maas.api.config;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;

/**
 * On every group of {@link MaasConfig}: its values converted to their types. A value that did not was read as
 * its default by {@link ConvertibleValues}; here it becomes one problem line among the others, e.g.
 * {@code maas.tokens default-expiration must be a duration (like 500ms, 30s, 5m, 4h), not '1y'}.
 */
@Constraint(validatedBy = Convertible.Rules.class)
@Target(TYPE)
@Retention(RUNTIME)
public @interface Convertible {
    String message() default "has a value that cannot be converted";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Rules implements ConstraintValidator<Convertible, Object> {
        @Override
        public boolean isValid(Object group, ConstraintValidatorContext context) {
            List<String> problems = ConvertibleValues.GROUPS.entrySet().stream()
                    .filter(g -> g.getKey().isInstance(group)).map(Map.Entry::getValue)
                    .flatMap(prefix -> ConvertibleValues.problems(prefix).stream()).toList();
            problems.forEach(problem -> ConsistentSettings.Violation.report(context, problem));
            return problems.isEmpty();
        }
    }
}
