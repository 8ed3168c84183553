package lb.dataplane.config;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over a canonical encoding of a config, which hosts compare before converging together.
 *
 * <p>Canonical means: the meaning, not the text. Key order in the file, the order of VIPs, rules and members, and
 * whether a default was written out or left implicit all give the same fingerprint; any change that could make two
 * hosts decide differently (including the secret and rule states) gives another. Defined for valid configs.
 *
 * @param sha256Hex 64 lower-case hex digits.
 */
public record ConfigFingerprint(String sha256Hex) {
    /**
     * The fingerprint of a config.
     */
    public static ConfigFingerprint of(final ClusterConfig config) {
        final MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        new CanonicalEncoding(digest).encode(config);
        return new ConfigFingerprint(HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * The first 8 bytes as a long, small enough for every heartbeat; collisions only matter between hosts whose
     * configs already differ, and the full value settles them.
     */
    public long prefix64() {
        return HexFormat.fromHexDigitsToLong(sha256Hex.substring(0, 16));
    }

    @Override
    public String toString() {
        return "sha256:" + sha256Hex;
    }
}
