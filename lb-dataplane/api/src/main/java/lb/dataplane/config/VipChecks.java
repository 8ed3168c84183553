package lb.dataplane.config;

import static lb.dataplane.config.ConfigFields.VIPS;
import static lb.dataplane.config.ConfigFields.element;

import java.util.List;

/**
 * Checks the VIP list: at least one, each once.
 */
final class VipChecks {
    private VipChecks() {
    }

    static void check(final List<IpAddress> vips, final List<ConfigError> errors) {
        if (vips.isEmpty()) {
            errors.add(new ConfigError(VIPS, VIPS, "(none)", "a cluster balances traffic to at least one VIP",
                "a list of IPv4 or IPv6 addresses"));
        }
        for (int i = 0; i < vips.size(); i++) {
            final int first = vips.indexOf(vips.get(i));
            if (first < i) {
                errors.add(new ConfigError(VIPS, element(VIPS, i), vips.get(i).toString(),
                    "duplicate of " + element(VIPS, first), "each VIP listed once"));
            }
        }
    }
}
