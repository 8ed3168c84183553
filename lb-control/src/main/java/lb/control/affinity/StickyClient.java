package lb.control.affinity;

import java.util.Objects;

import lb.dataplane.config.IpAddress;

/**
 * A client held on a host by extended affinity: its affinity-masked address and how long it stays unless it comes
 * back, the form of the dataplane's StickyClients and InstallForeignEntries entries.
 *
 * @param client      the affinity key (client address masked by the rule's affinity).
 * @param expiresInMs the rule's timeout minus the client's idle time, at the moment of export.
 */
public record StickyClient(IpAddress client, long expiresInMs) {
    public StickyClient {
        Objects.requireNonNull(client, "client");
    }
}
