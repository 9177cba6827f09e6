package io.gatehouse.as.users;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The users of the login page, from configuration. An unknown user and a wrong password take the same time and
 * give the same answer, so the login form does not reveal which usernames exist. A disabled user is, for
 * everything that asks, not there: they cannot log in, a browser session of theirs no longer counts, and the
 * token endpoint refuses their codes and refresh tokens.
 */
public final class UserDirectory {

    private static final String DUMMY_HASH = PasswordHasher.unmatchable();

    private final Map<String, User> users;

    public UserDirectory(List<User> users) {
        this.users = users.stream().filter(u -> !u.disabled())
                .collect(Collectors.toUnmodifiableMap(User::username, Function.identity()));
    }

    public Optional<User> authenticate(String username, char[] password) {
        User user = users.get(username);
        boolean ok = PasswordHasher.matches(password, user == null ? DUMMY_HASH : user.passwordHash());
        return ok && user != null ? Optional.of(user) : Optional.empty();
    }

    public Optional<User> find(String username) {
        return Optional.ofNullable(users.get(username));
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }
}
