package io.gatehouse.server.internal.auth;

import io.gatehouse.mcp.internal.mrtr.RequestStateKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that seals MCP 2026-07-28 {@code requestState} (MRTR): {@code <data-dir>/request-state-key}, 32 random bytes
 * in base64, created mode 600 the first time it is needed (the first 2026 request whose handler asks the client for
 * input), so a server that never asks writes nothing. Nodes sharing the data directory share the key, so a retry may
 * land on any of them; of nodes creating it at once, one wins and all read its key. Loaded once, never logged. Used
 * when there is no embedded authorization server: with one, the key is kept in its database instead
 * ({@link EmbeddedAuthorization#requestStateKey()}).
 */
public final class RequestStateKeyFile implements RequestStateKey {

    private static final Logger LOG = LoggerFactory.getLogger(RequestStateKeyFile.class);
    static final String FILE = "request-state-key";

    private final Path file;
    private volatile SecretKey key;

    public RequestStateKeyFile(Path dataDir) {
        this.file = dataDir.resolve(FILE);
    }

    /**
     * @throws UncheckedIOException  when the file can be neither read nor created
     * @throws IllegalStateException when the file is readable by others or does not hold 32 bytes in base64
     */
    @Override
    public SecretKey secretKey() {
        SecretKey known = key;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (key == null) {
                key = loadOrCreate();
            }
            return key;
        }
    }

    private SecretKey loadOrCreate() {
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                if (OwnerOnlyFiles.createOnce(file, Base64.getEncoder().encodeToString(fresh) + "\n")) {
                    LOG.info("Generated the requestState key in {}: every node that shares this server's traffic needs "
                            + "the same file", file);
                }
            }
            refuseIfOthersCanRead();
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(Files.readString(file).strip());
            } catch (IllegalArgumentException e) {
                bytes = new byte[0];
            }
            if (bytes.length != 32) {
                throw new IllegalStateException("The requestState key file " + file + " does not hold 32 bytes in base64");
            }
            return new SecretKeySpec(bytes, "AES");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the requestState key file " + file, e);
        }
    }

    private void refuseIfOthersCanRead() throws IOException {
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return;
        }
        if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IllegalStateException("The requestState key file " + file + " is readable by other users; make it "
                    + "readable by its owner only (chmod 600)");
        }
    }
}
