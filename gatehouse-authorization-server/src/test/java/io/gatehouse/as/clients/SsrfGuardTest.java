package io.gatehouse.as.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.TestNamesResolverProvider;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AS-06b: the authorization server fetches a client ID metadata document only from a public https address, so a
 * client id cannot point it at loopback, private networks or cloud metadata. Only {@link SsrfGuard#problem} is
 * called here: it resolves names but sends nothing. Names under {@code .ssrf.test} are answered by
 * {@link TestNamesResolverProvider}, as a hostile DNS server could answer them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("hardening")
@Tag("AS-06b")
class SsrfGuardTest {

    final SsrfGuard guard = new SsrfGuard(false);
    final SsrfGuard development = new SsrfGuard(true);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/x", "https://127.0.0.1/x", "http://localhost/x", "https://localhost:8443/x",
            "http://127.1.2.3/x", "https://[::1]/x", "https://[::ffff:127.0.0.1]/x", "https://0.0.0.0/x",
            "https://[::]/x"})
    void loopback_and_unspecified_addresses_are_refused(String url) {
        assertThat(guard.problem(URI.create(url))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://169.254.169.254/latest", "https://169.254.169.254/latest/meta-data/iam",
            "https://10.0.0.1/x", "https://10.255.255.255/x", "https://192.168.1.1/x", "https://172.16.0.1/x",
            "https://172.31.255.254/x", "https://100.64.0.1/x", "https://100.127.255.254/x", "https://198.18.0.1/x",
            "https://224.0.0.1/x", "https://240.0.0.1/x", "https://255.255.255.255/x",
            "https://[fe80::1]/x", "https://[fd00::1]/x", "https://[fc00::1]/x", "https://[fec0::1]/x", "https://[ff02::1]/x",
            "https://[::ffff:10.0.0.1]/x"})
    void private_link_local_shared_and_multicast_addresses_are_refused(String url) {
        assertThat(guard.problem(URI.create(url))).hasValue("the host resolves to a non-public address");
        assertThat(development.problem(URI.create(url))).as("allowing loopback allows nothing else").isPresent();
    }

    @Test
    void plain_http_to_a_public_address_is_refused() {
        assertThat(guard.problem(URI.create("http://8.8.8.8/client.json"))).hasValue("only https URLs are fetched");
        assertThat(development.problem(URI.create("http://8.8.8.8/client.json"))).hasValue("only https URLs are fetched");
    }

    @Test
    void https_to_a_public_address_is_allowed() {
        assertThat(guard.problem(URI.create("https://8.8.8.8/client.json"))).isEmpty();
        assertThat(guard.problem(URI.create("https://[2606:4700:4700::1111]/client.json"))).isEmpty();
    }

    @ParameterizedTest
    @Tag("SEC10-10")
    @ValueSource(strings = {"https://192.0.2.7/x", "https://198.51.100.7/x", "https://203.0.113.7/x", "https://[2001:db8::7]/x",
            "https://[3fff::7]/x", "https://192.0.0.8/x", "https://192.88.99.1/x", "https://[100::1]/x", "https://[5f00::1]/x"})
    void documentation_protocol_and_discard_addresses_are_refused(String url) {
        assertThat(guard.problem(URI.create(url))).hasValue("the host resolves to a non-public address");
    }

    /**
     * Every way IPv6 can carry an IPv4 address, each carrying a loopback, private, link-local (cloud metadata) or
     * shared address. IPv4-mapped, NAT64 (64:ff9b::/96) and 6to4 are judged by the IPv4 address inside; the
     * deprecated IPv4-compatible form, IPv4-translated addresses, local-use NAT64 (64:ff9b:1::/48) and Teredo
     * (2001::/32, whose client address is the last 32 bits inverted) are not global unicast and refused whatever
     * they carry.
     */
    @ParameterizedTest
    @Tag("SEC10-10")
    @ValueSource(strings = {
            "https://[::127.0.0.1]/x", "https://[::10.0.0.1]/x", "https://[::169.254.169.254]/x", "https://[::8.8.8.8]/x",
            "https://[::ffff:169.254.169.254]/x", "https://[::ffff:10.0.0.1]/x", "https://[::ffff:100.64.0.1]/x",
            "https://[::ffff:0:127.0.0.1]/x", "https://[::ffff:0:a9fe:a9fe]/x", "https://[::ffff:0:8.8.8.8]/x",
            "https://[64:ff9b::127.0.0.1]/x", "https://[64:ff9b::7f00:1]/x", "https://[64:ff9b::a9fe:a9fe]/x",
            "https://[64:ff9b::10.0.0.1]/x", "https://[64:ff9b::192.168.1.1]/x", "https://[64:ff9b::100.64.0.1]/x",
            "https://[64:ff9b::0.0.0.0]/x",
            "https://[64:ff9b:1::7f00:1]/x", "https://[64:ff9b:1:7f00:1::]/x", "https://[64:ff9b:1::808:808]/x",
            "https://[2002:7f00:1::]/x", "https://[2002:7f00:1::1]/x", "https://[2002:a9fe:a9fe::1]/x",
            "https://[2002:a00:1::]/x", "https://[2002:c0a8:101::1]/x", "https://[2002:6440:1::1]/x",
            "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x", "https://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/x",
            "https://[2001::1]/x"})
    void ipv4_addresses_carried_in_ipv6_are_judged_and_never_reach_a_non_public_address(String url) {
        assertThat(guard.problem(URI.create(url))).hasValue("the host resolves to a non-public address");
        assertThat(development.problem(URI.create(url))).as("allowing loopback allows no loopback inside IPv6")
                .hasValue("the host resolves to a non-public address");
    }

    @ParameterizedTest
    @Tag("SEC10-10")
    @ValueSource(strings = {"https://[64:ff9b::8.8.8.8]/x", "https://[64:ff9b::808:808]/x", "https://[2002:808:808::1]/x",
            "https://[::ffff:8.8.8.8]/x"})
    void a_public_ipv4_address_carried_by_nat64_6to4_or_mapping_is_public(String url) {
        assertThat(guard.problem(URI.create(url))).isEmpty();
    }

    @Test
    @Tag("SEC10-10")
    void an_ipv4_mapped_address_kept_as_ipv6_is_judged_by_the_ipv4_address_it_carries() throws UnknownHostException {
        byte[] loopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1};
        byte[] google = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 8, 8, 8, 8};

        assertThat(SsrfGuard.isNonPublic(Inet6Address.getByAddress(null, loopback, -1))).isTrue();
        assertThat(SsrfGuard.isNonPublic(Inet6Address.getByAddress(null, google, -1))).isFalse();
    }

    @Test
    @Tag("SEC10-10")
    void a_name_answering_a_nat64_address_for_loopback_is_refused() {
        assertThat(guard.problem(URI.create("https://nat64-loopback" + TestNamesResolverProvider.SUFFIX + "/client.json")))
                .hasValue("the host resolves to a non-public address");
    }

    @Test
    @Tag("SEC10-10")
    void the_decision_names_the_addresses_that_were_checked_for_the_connection() throws UnknownHostException {
        SsrfGuard.Decision decision = guard.decide(URI.create("https://public" + TestNamesResolverProvider.SUFFIX + "/client.json"));

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.addresses()).extracting(InetAddress::getHostAddress).containsExactly(TestNamesResolverProvider.PUBLIC);
        assertThat(guard.decide(URI.create("https://private" + TestNamesResolverProvider.SUFFIX + "/x")).addresses()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:secret@203.0.113.7/x", "https://user@203.0.113.7/x", "https://user@localhost/x"})
    void a_url_with_user_information_is_refused(String url) {
        assertThat(guard.problem(URI.create(url))).hasValue("not a plain absolute URL");
        assertThat(development.problem(URI.create(url))).hasValue("not a plain absolute URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/relative/client.json", "https:client.json", "file:///etc/passwd"})
    void a_url_without_a_host_is_refused(String url) {
        assertThat(guard.problem(URI.create(url))).hasValue("not a plain absolute URL");
    }

    @Test
    void a_host_that_does_not_resolve_is_refused() {
        assertThat(guard.problem(URI.create("https://does-not-exist.invalid/x"))).hasValue("the host does not resolve");
        assertThat(guard.problem(URI.create("https://unknown" + TestNamesResolverProvider.SUFFIX + "/x")))
                .hasValue("the host does not resolve");
    }

    @Test
    void loopback_is_allowed_only_for_development() {
        assertThat(guard.problem(URI.create("http://127.0.0.1:8080/client.json"))).hasValue("the host resolves to a loopback address");
        assertThat(development.problem(URI.create("http://127.0.0.1:8080/client.json"))).isEmpty();
        assertThat(development.problem(URI.create("http://localhost/x"))).isEmpty();
        assertThat(development.problem(URI.create("http://[::1]/x"))).isEmpty();
    }

    @Test
    void a_name_is_judged_by_the_addresses_it_resolves_to() {
        assertThat(guard.problem(URI.create("https://public" + TestNamesResolverProvider.SUFFIX + "/client.json"))).isEmpty();
        assertThat(guard.problem(URI.create("http://public" + TestNamesResolverProvider.SUFFIX + "/client.json")))
                .hasValue("only https URLs are fetched");
        assertThat(guard.problem(URI.create("https://private" + TestNamesResolverProvider.SUFFIX + "/x")))
                .hasValue("the host resolves to a non-public address");
        assertThat(guard.problem(URI.create("https://metadata" + TestNamesResolverProvider.SUFFIX + "/latest")))
                .hasValue("the host resolves to a non-public address");
        assertThat(guard.problem(URI.create("https://loopback" + TestNamesResolverProvider.SUFFIX + "/x")))
                .hasValue("the host resolves to a loopback address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"public-and-private", "public-and-loopback", "loopback-and-public"})
    void a_name_with_any_non_public_address_among_public_ones_is_refused(String name) {
        URI url = URI.create("https://" + name + TestNamesResolverProvider.SUFFIX + "/client.json");

        assertThat(guard.problem(url)).isPresent();
        assertThat(development.problem(url)).as("development allows a name that is only loopback, not a mix").isPresent();
    }

    @Test
    void is_non_public_for_ipv4_ranges() throws UnknownHostException {
        assertThat(SsrfGuard.isNonPublic(v4(127, 0, 0, 1))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(0, 0, 0, 0))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(0, 1, 2, 3))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(10, 0, 0, 1))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(172, 16, 0, 1))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(172, 31, 255, 255))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(192, 168, 0, 1))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(169, 254, 169, 254))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(100, 64, 0, 0))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(100, 127, 255, 255))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(198, 18, 0, 1))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(198, 19, 255, 255))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(224, 0, 0, 251))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(240, 0, 0, 1))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(255, 255, 255, 255))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(192, 0, 0, 170))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(192, 0, 2, 1))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(198, 51, 100, 1))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(203, 0, 113, 255))).isTrue();
        assertThat(SsrfGuard.isNonPublic(v4(192, 88, 99, 1))).isTrue();
    }

    @Test
    void is_non_public_is_false_just_outside_the_ipv4_ranges() throws UnknownHostException {
        assertThat(SsrfGuard.isNonPublic(v4(1, 1, 1, 1))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(8, 8, 8, 8))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(11, 0, 0, 1))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(172, 15, 255, 255))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(172, 32, 0, 0))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(100, 63, 255, 255))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(100, 128, 0, 0))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(192, 167, 255, 255))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(198, 17, 255, 255))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(198, 20, 0, 0))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(223, 255, 255, 255))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(192, 0, 1, 0))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(192, 0, 3, 0))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(203, 0, 112, 255))).isFalse();
        assertThat(SsrfGuard.isNonPublic(v4(203, 0, 114, 0))).isFalse();
    }

    @Test
    void is_non_public_for_ipv6_ranges() throws UnknownHostException {
        assertThat(SsrfGuard.isNonPublic(v6(0x00, 0x00, 0x01))).as("::1").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0x00, 0x00, 0x00))).as("::").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0xfe, 0x80, 0x01))).as("fe80::1").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0xfe, 0xbf, 0x01))).as("febf::1").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0xfc, 0x00, 0x01))).as("fc00::1").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0xfd, 0x12, 0x01))).as("fd12::1").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0xfe, 0xc0, 0x01))).as("fec0::1").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0xff, 0x02, 0x01))).as("ff02::1").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0x20, 0x01, 0x01))).as("2001::1 (Teredo, IETF protocol assignments)").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0x2a, 0x00, 0x01))).as("2a00::1").isFalse();
        assertThat(SsrfGuard.isNonPublic(v6(0x20, 0x02, 0x01))).as("2002::1 (6to4 of 0.0.0.0)").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0x3f, 0xff, 0x01))).as("3fff::1 (documentation)").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0x40, 0x00, 0x01))).as("4000::1 (not global unicast)").isTrue();
        assertThat(SsrfGuard.isNonPublic(v6(0x26, 0x06, 0x01))).as("2606::1").isFalse();
        assertThat(SsrfGuard.isNonPublic(v6(0xfb, 0xff, 0x01))).as("fbff::1 (outside global unicast 2000::/3)").isTrue();
    }

    private static InetAddress v4(int a, int b, int c, int d) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    /** An IPv6 address with the given first two bytes and last byte, zero elsewhere. */
    private static InetAddress v6(int first, int second, int last) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[0] = (byte) first;
        bytes[1] = (byte) second;
        bytes[15] = (byte) last;
        return InetAddress.getByAddress(bytes);
    }
}
