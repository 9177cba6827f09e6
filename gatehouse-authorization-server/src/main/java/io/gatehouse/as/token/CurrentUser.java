package io.gatehouse.as.token;

import io.gatehouse.as.users.User;
import java.util.Optional;

/**
 * Who the user of a grant is now, for a code exchange or a refresh: a configured user by the grant's subject, or a
 * federated user as the upstream provider last confirmed them. Empty when they are gone, disabled or refused upstream:
 * the family ends.
 */
@FunctionalInterface
public interface CurrentUser {

    Optional<User> of(Grant grant);
}
