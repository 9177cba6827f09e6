package io.gatehouse.mcp.tools;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one component of a tool's argument record, for the input schema derived from it. A component is
 * required unless it has a {@link #defaultValue()}, is an {@code Optional}, or says {@code required = false}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {
    /** What the argument means, for the model. */
    String description() default "";

    /** A human-readable title. */
    String title() default "";

    /** Inclusive lower bound for numbers; NaN for none. */
    double minimum() default Double.NaN;

    /** Inclusive upper bound for numbers; NaN for none. */
    double maximum() default Double.NaN;

    /** The default as a JSON literal (e.g. {@code "1"} or {@code "\"hello\""}); empty for none. */
    String defaultValue() default "";

    /** Whether the caller must give it (ignored for an {@code Optional} or a component with a default). */
    boolean required() default true;
}
