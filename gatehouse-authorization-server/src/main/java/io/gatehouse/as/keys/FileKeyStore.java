package io.gatehouse.as.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.List;

/** Signing keys in one JWK-set file under the data directory, readable only by its owner. */
public final class FileKeyStore implements KeyStore {

    private final Path file;

    public FileKeyStore(Path file) {
        this.file = file;
    }

    @Override
    public List<JWK> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return JWKSet.parse(Files.readString(file)).getKeys();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException("the key file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(List<JWK> keys) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, new JWKSet(keys).toString(false));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
