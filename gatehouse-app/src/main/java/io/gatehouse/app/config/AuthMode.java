package io.gatehouse.app.config;

/** Who issues the access tokens Gatehouse accepts (ARCHITECTURE section 4). */
public enum AuthMode {
    /** Nobody: authentication is off. Allowed only on a loopback address, and announced loudly. */
    NONE
}
