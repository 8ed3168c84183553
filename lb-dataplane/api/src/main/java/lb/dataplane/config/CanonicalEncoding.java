package lb.dataplane.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Optional;
import java.util.List;

/**
 * Feeds a config to a digest in one canonical byte form: sets sorted, effective values instead of written ones,
 * enums by name, durations in milliseconds, strings length-prefixed UTF-8.
 */
final class CanonicalEncoding {
    /** Changes whenever the encoding does, so old and new hosts never agree by accident. */
    private static final String VERSION = "lb-cluster-config/2";

    private final MessageDigest digest;

    CanonicalEncoding(final MessageDigest digest) {
        this.digest = digest;
    }

    void encode(final ClusterConfig config) {
        string(VERSION);
        parameters(config.parameters());
        final List<IpAddress> vips = config.vips().stream().sorted().toList();
        integer(vips.size());
        vips.forEach(this::address);
        final List<PortRule> rules = config.canonicalRules();
        integer(rules.size());
        rules.forEach(this::rule);
        final List<ClusterMember> members =
            config.members().stream().sorted(Comparator.comparingInt(ClusterMember::hostId)).toList();
        integer(members.size());
        for (final ClusterMember member : members) {
            member(member, rules);
        }
    }

    private void parameters(final ClusterParameters p) {
        string(p.name());
        integer(p.bucketCount());
        word(p.secret().k0());
        word(p.secret().k1());
        string(p.mode().name());
        word(p.heartbeat().period().toMillis());
        integer(p.heartbeat().lossTolerance());
        string(p.heartbeat().transport().name());
        endpoint(p.heartbeat().group());
        integer(p.gratuitousArp().count());
        word(p.gratuitousArp().spacing().toMillis());
        integer(p.ipv6NetworkPrefix());
        integer(p.maxHosts());
        integer(p.maxPortRules());
        word(p.udpFlowTimeout().toMillis());
    }

    private void rule(final PortRule rule) {
        key(rule.key());
        string(rule.filtering().name());
        string(rule.affinity().name());
        string(rule.state().name());
        word(rule.extendedAffinity().toMillis());
    }

    private void member(final ClusterMember member, final List<PortRule> rules) {
        integer(member.hostId());
        integer(member.hostPriority());
        string(member.name().orElse(""));
        endpoint(member.management());
        // Every rule's effective setting, so an omitted default and a written one encode alike.
        for (final PortRule rule : rules) {
            switch (rule.filtering()) {
                // EQUAL counts as 50 (LoadWeight), so equal and 50 mean, and encode, the same.
                case MULTIPLE -> integer(member.loadWeight(rule.key()).percent());
                case SINGLE -> integer(member.handlingPriority(rule));
                case DISABLED -> integer(0);
            }
        }
    }

    private void key(final RuleKey key) {
        integer(key.vip().isPresent() ? 1 : 0);
        key.vip().ifPresent(this::address);
        integer(key.ports().start());
        integer(key.ports().end());
        string(key.protocol().name());
    }

    private void endpoint(final Optional<Endpoint> endpoint) {
        integer(endpoint.isPresent() ? 1 : 0);
        endpoint.ifPresent(e -> {
            address(e.address());
            integer(e.port());
        });
    }

    private void address(final IpAddress address) {
        word(address.hi());
        word(address.lo());
    }

    private void string(final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        integer(bytes.length);
        digest.update(bytes);
    }

    private void integer(final int value) {
        word(value);
    }

    private void word(final long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            digest.update((byte)(value >>> shift));
        }
    }
}
