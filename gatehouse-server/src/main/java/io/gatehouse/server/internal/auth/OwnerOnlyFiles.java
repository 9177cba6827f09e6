package io.gatehouse.server.internal.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and directories that only their owner can read: directories are created with mode 700 and files with
 * mode 600 from the start (never written first and narrowed later), and a directory Gatehouse keeps its state in
 * is narrowed, with everything in it, when an older version or a loose umask left it open. A library that makes
 * files itself (H2) creates them inside such a directory, where nobody else can reach them whatever their mode.
 * On a file system without POSIX permissions the files are created as the platform does.
 */
final class OwnerOnlyFiles {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {
    }

    /** Creates {@code dir} and any missing parent with mode 700; directories that already exist are left as they are. */
    static void createDirectories(Path dir) throws IOException {
        if (posix()) {
            Files.createDirectories(dir.toAbsolutePath(), PosixFilePermissions.asFileAttribute(DIRECTORY));
        } else {
            Files.createDirectories(dir);
        }
    }

    /**
     * A directory of Gatehouse's own state: created with mode 700 if missing, else it and everything in it lose
     * every group and other permission, each change logged as a warning (an earlier version or a loose umask left
     * it open). Symbolic links are neither followed nor changed.
     */
    static void secureDirectory(Path dir) throws IOException {
        narrowAll(dir, true);
    }

    /**
     * Like {@link #secureDirectory}, silently: for files a library (H2) has just created, with the process's umask,
     * inside a directory only the owner can enter.
     */
    static void narrowCreatedFiles(Path dir) throws IOException {
        narrowAll(dir, false);
    }

    private static void narrowAll(Path dir, boolean warn) throws IOException {
        createDirectories(dir);
        if (!posix()) {
            return;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.filter(p -> !Files.isSymbolicLink(p)).forEach(p -> narrow(p, warn));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void narrow(Path path, boolean warn) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (mode.stream().noneMatch(NOT_OWNER::contains)) {
                return;
            }
            Set<PosixFilePermission> narrowed = EnumSet.copyOf(mode);
            narrowed.removeAll(NOT_OWNER);
            Files.setPosixFilePermissions(path, narrowed);
            if (warn) {
                LOG.warn("{} was open to other users ({}); it is now {}", path, PosixFilePermissions.toString(mode),
                        PosixFilePermissions.toString(narrowed));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // gone meanwhile (a temporary file of the database)
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot make " + path + " private to its owner: " + e.getMessage(), e));
        }
    }

    /**
     * Writes {@code content} to {@code file} (replacing it) through a new file of mode 600 in the same directory,
     * moved into place, so the content is never readable by anyone else, not even for a moment.
     */
    static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        FileAttribute<?>[] ownerOnly = posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly);
        try {
            Files.writeString(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Creates {@code file} holding {@code content}, mode 600, unless it exists: the content is written to a new file
     * first and linked into place atomically, so a process reading {@code file} never sees it half written, and of
     * several processes creating it at once (nodes sharing a directory) exactly one wins. Returns whether this call
     * created it.
     */
    static boolean createOnce(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        FileAttribute<?>[] ownerOnly = posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly);
        try {
            Files.writeString(temporary, content);
            try {
                Files.createLink(file, temporary);
            } catch (UnsupportedOperationException e) {
                Files.move(temporary, file);
            }
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Creates {@code file} with mode 600 holding {@code content}; fails if it exists. */
    static void create(Path file, String content) throws IOException {
        if (posix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
