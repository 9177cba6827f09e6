package io.gatehouse.client.audit;

/** One row of an identity provider audit: what was checked, the result, and why. */
public record Check(String id, String name, Result result, String detail) {

    /** A measured yes or no, a partial support, or a row that could not be measured with what was given. */
    public enum Result { YES, NO, PARTIAL, NOT_MEASURED }
}
