package io.gatehouse.transport;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.util.Scanner;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a renewed certificate without a restart: Jetty's {@link Scanner} watches the credential files (their
 * directories, so a replacement by rename or by a symlink swap is seen too) and reports a file once it has stopped
 * changing; the credentials are then read again and the TLS context replaced, which new handshakes use (open
 * connections keep theirs). Files that cannot be read, or a key that does not match its certificate (one file
 * replaced, the other not yet), leave the current certificate in place with a warning; the next change tries again.
 */
final class CertificateReloader extends ContainerLifeCycle implements Scanner.BulkListener {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    private final TlsConfig config;
    private final SslContextFactory.Server ssl;
    private final Set<Path> watched;

    CertificateReloader(TlsConfig config, SslContextFactory.Server ssl, TlsCredentials initial) {
        this.config = config;
        this.ssl = ssl;
        this.watched = config.files().stream().map(p -> p.toAbsolutePath().normalize()).collect(Collectors.toUnmodifiableSet());
        Scanner scanner = new Scanner(null, false);
        watched.stream().map(Path::getParent).distinct().forEach(scanner::addDirectory);
        scanner.setScanDepth(1);
        scanner.setScanInterval(1);
        scanner.setReportDirs(false);
        scanner.setReportExistingFilesOnStartup(false);
        scanner.addListener(this);
        installBean(scanner);
        LOG.info("Serving TLS with {}", describe(initial.leaf()));
    }

    /** Puts the credentials into the context (before it starts, or inside a reload). */
    static void use(SslContextFactory.Server ssl, TlsCredentials credentials) {
        String password = new String(credentials.password());
        ssl.setKeyStore(credentials.keyStore());
        ssl.setKeyStorePassword(password);
        ssl.setKeyManagerPassword(password);
    }

    @Override
    public void pathsChanged(Set<Path> paths) {
        if (paths.stream().map(p -> p.toAbsolutePath().normalize()).noneMatch(watched::contains)) {
            return;
        }
        TlsCredentials next;
        try {
            next = TlsCredentials.load(config);
        } catch (RuntimeException e) {
            LOG.warn("The TLS files changed but cannot be used yet; still serving the previous certificate: {}", e.getMessage());
            return;
        }
        try {
            ssl.reload(factory -> use((SslContextFactory.Server) factory, next));
            LOG.info("Reloaded the TLS certificate: now serving {}", describe(next.leaf()));
        } catch (Exception e) {
            LOG.warn("Could not reload the TLS certificate; still serving the previous one: {}", e.toString());
        }
    }

    private static String describe(X509Certificate certificate) {
        return "certificate " + certificate.getSubjectX500Principal().getName() + " (serial "
                + HexFormat.of().formatHex(certificate.getSerialNumber().toByteArray()) + ", valid until " + certificate.getNotAfter().toInstant() + ")";
    }
}
